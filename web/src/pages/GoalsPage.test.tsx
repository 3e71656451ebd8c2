import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator, type MockEnvironment } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { renderWithRelay } from "../test/render";
import GoalsPage from "./GoalsPage";

const usd = (amount: string) => ({ amount, currency: "USD" });

const emergency = {
  id: "R29hbDox",
  name: "Emergency fund",
  status: "ACTIVE",
  onTrack: "BEHIND",
  funding: "CONTRIBUTIONS",
  progress: 0.24,
  targetDate: "2027-06-30",
  projectedDate: "2027-09-01",
  pausedAt: null,
  targetAmount: usd("5000.00"),
  savedAmount: usd("1200.00"),
  monthlyAmountNeeded: usd("422.23"),
  account: null,
  category: null,
};

const holiday = {
  ...emergency,
  id: "R29hbDoy",
  name: "Holiday",
  onTrack: "ON_TRACK",
  funding: "ACCOUNT",
  progress: 0.5,
  targetDate: "2027-08-01",
  projectedDate: "2027-05-01",
  targetAmount: usd("2000.00"),
  savedAmount: usd("1000.00"),
  monthlyAmountNeeded: usd("111.12"),
  account: { id: "QWNjb3VudDox", name: "Savings" },
};

async function showGoals(environment: MockEnvironment, goals: unknown[]) {
  renderWithRelay(<GoalsPage />, environment);
  const operation = environment.mock.getMostRecentOperation();
  await act(async () =>
    environment.mock.resolve(
      operation,
      MockPayloadGenerator.generate(operation, {
        Query: () => ({
          goals,
          accounts: [{ id: "QWNjb3VudDox", name: "Savings", currency: "USD" }],
          categories: [
            { id: "Q2F0ZWdvcnk6MQ==", name: "Groceries", group: "Food", kind: "EXPENSE" },
            { id: "Q2F0ZWdvcnk6Mg==", name: "Salary", group: "Income", kind: "INCOME" },
          ],
          ledgerSettings: { baseCurrency: "USD" },
        }),
      }),
    ),
  );
}

describe("the goals page", () => {
  it("shows each goal's progress, monthly need, projection, pace and funding", async () => {
    const environment = createMockEnvironment();
    await showGoals(environment, [emergency, holiday]);

    expect(screen.getByRole("heading", { level: 1, name: "Goals" })).toBeInTheDocument();
    const [first, second] = screen.getAllByRole("listitem");
    expect(within(first!).getByRole("heading", { name: "Emergency fund" })).toBeInTheDocument();
    expect(within(first!).getByText("$1,200.00 of $5,000.00")).toBeInTheDocument();
    expect(within(first!).getByRole("progressbar", { name: "Emergency fund goal" })).toHaveAttribute("aria-valuenow", "24");
    expect(within(first!).getByText("$422.23")).toBeInTheDocument();
    expect(within(first!).getByText("Behind")).toBeInTheDocument();
    expect(within(first!).getByText("Sep 1, 2027 at this pace: after the target date.")).toBeInTheDocument();
    expect(within(first!).getByText("Funded by the contributions you record.")).toBeInTheDocument();
    expect(within(second!).getByText("On track")).toBeInTheDocument();
    expect(within(second!).getByText(/Linked to the account “Savings”/)).toBeInTheDocument();
    // Only contributions-funded goals take contributions.
    expect(within(second!).queryByRole("button", { name: /Contribute/ })).toBeNull();
  });

  it("says there are none yet", async () => {
    const environment = createMockEnvironment();
    await showGoals(environment, []);
    expect(screen.getByText(/No goals yet/)).toBeInTheDocument();
  });

  it("creates a goal funded by a budget category, and shows it", async () => {
    const environment = createMockEnvironment();
    await showGoals(environment, [emergency]);

    await userEvent.click(screen.getByRole("button", { name: "New goal" }));
    await userEvent.type(screen.getByLabelText("Name"), "New bike");
    await userEvent.type(screen.getByLabelText("Target amount"), "1,250.50");
    await userEvent.type(screen.getByLabelText("Target date (optional)"), "2027-03-31");
    await userEvent.click(screen.getByRole("radio", { name: "A budget category" }));
    // Only expense categories are budgeted toward.
    const category = screen.getByLabelText("Budget category");
    expect(within(category).queryByText(/Salary/)).toBeNull();
    await userEvent.selectOptions(category, "Q2F0ZWdvcnk6MQ==");
    await userEvent.click(screen.getByRole("button", { name: "Create goal" }));

    const operation = environment.mock.getMostRecentOperation();
    expect(operation.request.variables.input).toEqual({
      name: "New bike",
      targetAmount: "1250.50",
      targetDate: "2027-03-31",
      funding: "CATEGORY",
      categoryId: "Q2F0ZWdvcnk6MQ==",
    });
    await act(async () =>
      environment.mock.resolve(operation, {
        data: {
          createGoal: {
            goal: {
              ...emergency,
              id: "R29hbDoz",
              name: "New bike",
              funding: "CATEGORY",
              onTrack: "ON_TRACK",
              category: { id: "Q2F0ZWdvcnk6MQ==", name: "Groceries" },
            },
          },
        },
      }),
    );
    expect(screen.getByRole("status")).toHaveTextContent("Goal “New bike” created.");
    expect(screen.getByRole("heading", { name: "New bike" })).toBeInTheDocument();
    expect(screen.getByText(/Funded by the budget category “Groceries”/)).toBeInTheDocument();
  }, 20_000);

  it("shows the API's refusal beside the field it names", async () => {
    const environment = createMockEnvironment();
    await showGoals(environment, []);
    await userEvent.click(screen.getByRole("button", { name: "New goal" }));
    await userEvent.type(screen.getByLabelText("Name"), "Car");
    await userEvent.type(screen.getByLabelText("Target amount"), "0");
    await userEvent.click(screen.getByRole("button", { name: "Create goal" }));
    const operation = environment.mock.getMostRecentOperation();
    expect(operation.request.variables.input).toMatchObject({ funding: "CONTRIBUTIONS", currency: "USD" });
    await act(async () =>
      environment.mock.reject(
        operation,
        new ApiError([{ message: "input.targetAmount: must be greater than zero", extensions: { code: "BAD_USER_INPUT", field: "input.targetAmount" } }]),
      ),
    );
    expect(screen.getByLabelText("Target amount")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Must be greater than zero")).toBeInTheDocument();
  });

  it("takes a contribution, pauses, and deletes a goal after asking", async () => {
    const environment = createMockEnvironment();
    await showGoals(environment, [emergency]);

    await userEvent.click(screen.getByRole("button", { name: "Contribute to Emergency fund" }));
    await userEvent.type(screen.getByLabelText("Amount (USD)"), "100");
    await userEvent.click(screen.getByRole("button", { name: "Add contribution" }));
    const contribution = environment.mock.getMostRecentOperation();
    expect(contribution.request.variables.input).toMatchObject({ goalId: emergency.id, amount: "100" });
    expect(contribution.request.variables.input.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await act(async () =>
      environment.mock.resolve(contribution, {
        data: { contributeToGoal: { goal: { ...emergency, savedAmount: usd("1300.00"), progress: 0.26 } } },
      }),
    );
    expect(screen.getByText("$1,300.00 of $5,000.00")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Added $100.00 to “Emergency fund”.");

    await userEvent.click(screen.getByRole("button", { name: "Pause Emergency fund" }));
    const pause = environment.mock.getMostRecentOperation();
    expect(pause.request.node.params.name).toBe("GoalCardPauseMutation");
    await act(async () =>
      environment.mock.resolve(pause, {
        data: { pauseGoal: { goal: { ...emergency, status: "PAUSED", onTrack: "PAUSED", pausedAt: "2026-11-26T10:00:00Z" } } },
      }),
    );
    expect(screen.getByText("Paused")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Resume Emergency fund" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Delete Emergency fund" }));
    expect(screen.getByRole("group", { name: "Delete “Emergency fund” and its contributions?" })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("group")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Delete Emergency fund" }));
    await userEvent.click(screen.getByRole("button", { name: "Delete goal" }));
    const removal = environment.mock.getMostRecentOperation();
    expect(removal.request.variables).toEqual({ input: { id: emergency.id } });
    await act(async () => environment.mock.resolve(removal, { data: { deleteGoal: { deletedGoalId: emergency.id } } }));
    expect(screen.queryByRole("heading", { name: "Emergency fund" })).toBeNull();
    expect(screen.getByRole("status")).toHaveTextContent("Goal “Emergency fund” deleted.");
    expect(screen.getByText(/No goals yet/)).toBeInTheDocument();
  }, 20_000);

  it("edits a goal: its target, no date any more, and an account's balance to count", async () => {
    const environment = createMockEnvironment();
    await showGoals(environment, [emergency]);

    await userEvent.click(screen.getByRole("button", { name: "Edit Emergency fund" }));
    expect(screen.getByLabelText("Name")).toHaveValue("Emergency fund");
    expect(screen.queryByLabelText("Currency")).toBeNull(); // a goal keeps its currency
    await userEvent.clear(screen.getByLabelText("Target amount"));
    await userEvent.type(screen.getByLabelText("Target amount"), "6000");
    await userEvent.clear(screen.getByLabelText("Target date (optional)"));
    await userEvent.click(screen.getByRole("radio", { name: "An account's balance" }));
    await userEvent.selectOptions(screen.getByLabelText("Account"), "QWNjb3VudDox");
    await userEvent.click(screen.getByRole("button", { name: "Save goal" }));

    const operation = environment.mock.getMostRecentOperation();
    expect(operation.request.variables.input).toEqual({
      id: emergency.id,
      name: "Emergency fund",
      targetAmount: "6000",
      targetDate: null,
      funding: "ACCOUNT",
      accountId: "QWNjb3VudDox",
    });
    await act(async () =>
      environment.mock.resolve(operation, {
        data: {
          updateGoal: {
            goal: {
              ...holiday,
              id: emergency.id,
              name: "Emergency fund",
              onTrack: "NO_TARGET_DATE",
              targetDate: null,
              monthlyAmountNeeded: null,
              targetAmount: usd("6000.00"),
            },
          },
        },
      }),
    );
    expect(screen.getByRole("status")).toHaveTextContent("Saved “Emergency fund”.");
    expect(screen.getByText(/Linked to the account “Savings”/)).toBeInTheDocument();
    expect(screen.getByText("Set a target date to see it")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Edit Emergency fund" })).toHaveFocus();
  }, 20_000);
});
