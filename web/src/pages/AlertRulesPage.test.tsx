import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator, type MockEnvironment } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { renderWithRelay } from "../test/render";
import AlertRulesPage from "./AlertRulesPage";

const GROCERIES = "Q2F0ZWdvcnk6MQ==";
const CHECKING = "QWNjb3VudDox";
const TRIP = "VGFnOjE=";
// What every rule has beyond its kind's parameters.
const plain = {
  categoryId: null,
  accountId: null,
  tagId: null,
  percents: null,
  daysAhead: null,
  factor: null,
  trailingMonths: null,
  channels: ["IN_APP", "EMAIL"],
  snoozedUntil: null,
  threshold: null,
};
const overspent = { ...plain, id: "QWxlcnRSdWxlOjE=", kind: "BUDGET_OVERSPENT", enabled: true };
const large = {
  ...plain,
  id: "QWxlcnRSdWxlOjI=",
  kind: "LARGE_TRANSACTION",
  enabled: true,
  categoryId: GROCERIES,
  threshold: { amount: "250.00", currency: "USD" },
};
// A kind a later API has and this app does not know yet.
const unknown = { ...plain, id: "QWxlcnRSdWxlOjM=", kind: "SOMETHING_NEW", enabled: false };

async function showRules(environment: MockEnvironment, alertRules: unknown[]) {
  renderWithRelay(<AlertRulesPage />, environment);
  const operation = environment.mock.getMostRecentOperation();
  expect(operation.request.variables).toEqual({});
  await act(async () =>
    environment.mock.resolve(
      operation,
      MockPayloadGenerator.generate(operation, {
        Query: () => ({
          alertRules,
          categories: [
            { id: GROCERIES, name: "Groceries", group: "Food", hidden: false },
            { id: "Q2F0ZWdvcnk6Mg==", name: "Old stuff", group: "Other", hidden: true },
          ],
          ledgerSettings: { baseCurrency: "USD" },
          accounts: [{ id: CHECKING, name: "Checking" }],
          tags: [{ id: TRIP, name: "Trip" }],
        }),
      }),
    ),
  );
}

describe("the alert rules page", () => {
  it("says what each rule watches, and whether it is on", async () => {
    const environment = createMockEnvironment();
    await showRules(environment, [overspent, large, unknown]);

    expect(screen.getByRole("heading", { level: 1, name: "Alert rules" })).toBeInTheDocument();
    expect(screen.getByRole("switch", { name: "Budget overspent When any budget is overspent in a month." })).toBeChecked();
    expect(screen.getByRole("switch", { name: "Large transaction When money out in Groceries reaches $250.00." })).toBeChecked();
    const weekly = screen.getByRole("switch", { name: /^Something new/ });
    expect(weekly).not.toBeChecked();
    // Listed, switchable and deletable; not editable until the app knows its parameters.
    const item = weekly.closest("li")!;
    expect(within(item).queryByRole("button", { name: /^Edit/ })).toBeNull();
    expect(within(item).getByRole("button", { name: /^Delete/ })).toBeInTheDocument();
  });

  it("switches a rule off at once, and back if the server refuses", async () => {
    const environment = createMockEnvironment();
    await showRules(environment, [overspent]);
    const toggle = screen.getByRole("switch", { name: /^Budget overspent/ });

    await userEvent.click(toggle);
    expect(toggle).not.toBeChecked();
    const operation = environment.mock.getMostRecentOperation();
    expect(operation.request.variables).toEqual({ input: { id: overspent.id, enabled: false } });
    await act(async () => environment.mock.reject(operation, new Error("Tally cannot be reached.")));
    expect(toggle).toBeChecked();
    expect(screen.getByRole("alert")).toHaveTextContent("Tally cannot be reached.");

    await userEvent.click(toggle);
    await act(async () =>
      environment.mock.resolve(environment.mock.getMostRecentOperation(), {
        data: { updateAlertRule: { alertRule: { id: overspent.id, enabled: false } } },
      }),
    );
    expect(toggle).not.toBeChecked();
    expect(screen.getByText("Budget overspent alert off.")).toBeInTheDocument();
  });

  it("creates a large-transaction rule with its threshold, naming a refused field", async () => {
    const environment = createMockEnvironment();
    await showRules(environment, [overspent]);

    await userEvent.click(screen.getByRole("button", { name: "New alert" }));
    await userEvent.selectOptions(screen.getByLabelText("Alert me about"), "LARGE_TRANSACTION");
    // Hidden categories are not offered.
    expect(within(screen.getByLabelText("Category")).queryByText(/Old stuff/)).toBeNull();
    await userEvent.type(screen.getByLabelText("Threshold"), "0");
    await userEvent.click(screen.getByRole("button", { name: "Create alert" }));
    const refused = environment.mock.getMostRecentOperation();
    expect(refused.request.variables.input).toEqual({
      kind: "LARGE_TRANSACTION",
      threshold: "0",
      currency: "USD",
      categoryId: null,
      accountId: null,
      tagId: null,
      channels: ["IN_APP", "EMAIL"],
    });
    await act(async () =>
      environment.mock.reject(
        refused,
        new ApiError([{ message: "input.threshold: must be greater than zero", extensions: { code: "BAD_USER_INPUT", field: "input.threshold" } }]),
      ),
    );
    expect(screen.getByLabelText("Threshold")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Must be greater than zero")).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText("Threshold"));
    await userEvent.type(screen.getByLabelText("Threshold"), "1,000.50");
    await userEvent.selectOptions(screen.getByLabelText("Category"), GROCERIES);
    await userEvent.click(screen.getByRole("button", { name: "Create alert" }));
    const created = environment.mock.getMostRecentOperation();
    expect(created.request.variables.input).toEqual({
      kind: "LARGE_TRANSACTION",
      threshold: "1000.50",
      currency: "USD",
      categoryId: GROCERIES,
      accountId: null,
      tagId: null,
      channels: ["IN_APP", "EMAIL"],
    });
    await act(async () =>
      environment.mock.resolve(created, {
        data: { createAlertRule: { alertRule: { ...large, threshold: { amount: "1000.50", currency: "USD" } } } },
      }),
    );
    expect(screen.getByText("Large transaction alert created.")).toBeInTheDocument();
    expect(screen.getByText("When money out in Groceries reaches $1,000.50.")).toBeInTheDocument();
  }, 20_000);

  it("edits a rule's parameters and deletes a rule after asking", async () => {
    const environment = createMockEnvironment();
    await showRules(environment, [overspent, large]);

    await userEvent.click(screen.getByRole("button", { name: "Edit: When money out in Groceries reaches $250.00." }));
    expect(screen.queryByLabelText("Alert me about")).toBeNull(); // a rule keeps its kind
    await userEvent.selectOptions(screen.getByLabelText("Category"), "");
    await userEvent.click(screen.getByRole("button", { name: "Save alert" }));
    const update = environment.mock.getMostRecentOperation();
    expect(update.request.variables.input).toEqual({
      id: large.id,
      threshold: "250.00",
      currency: "USD",
      categoryId: null,
      accountId: null,
      tagId: null,
      channels: ["IN_APP", "EMAIL"],
    });
    await act(async () =>
      environment.mock.resolve(update, { data: { updateAlertRule: { alertRule: { ...large, categoryId: null } } } }),
    );
    expect(screen.getByText("When money out reaches $250.00.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Delete: When money out reaches $250.00." }));
    await userEvent.click(screen.getByRole("button", { name: "Delete alert" }));
    const removal = environment.mock.getMostRecentOperation();
    expect(removal.request.variables).toEqual({ input: { id: large.id } });
    await act(async () => environment.mock.resolve(removal, { data: { deleteAlertRule: { deletedAlertRuleId: large.id } } }));
    expect(screen.queryByText("When money out reaches $250.00.")).toBeNull();
    expect(screen.getByText("Large transaction alert deleted.")).toHaveFocus();
  }, 20_000);

  it("offers every kind, each with its own parameters, scope and channels", async () => {
    const environment = createMockEnvironment();
    await showRules(environment, [overspent]);

    await userEvent.click(screen.getByRole("button", { name: "New alert" }));
    const kinds = within(screen.getByLabelText("Alert me about"))
      .getAllByRole("option")
      .map((option) => (option as HTMLOptionElement).value);
    expect(kinds).toEqual([
      "BUDGET_OVERSPENT",
      "BUDGET_THRESHOLD",
      "LARGE_TRANSACTION",
      "LOW_BALANCE",
      "GOAL_MILESTONE",
      "GOAL_BEHIND",
      "BILL_DUE",
      "BILL_LARGER_THAN_USUAL",
      "UNUSUAL_SPENDING",
      "BANK_CONNECTION_ATTENTION",
      "NEW_MERCHANT",
      "WEEKLY_SUMMARY",
    ]);

    await userEvent.selectOptions(screen.getByLabelText("Alert me about"), "BUDGET_THRESHOLD");
    expect(screen.getByLabelText("Percents")).toHaveValue("80, 100");
    expect(screen.queryByLabelText("Account")).toBeNull();
    await userEvent.clear(screen.getByLabelText("Percents"));
    await userEvent.type(screen.getByLabelText("Percents"), "50, 90%");
    await userEvent.click(screen.getByRole("checkbox", { name: "Email" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Push" }));
    await userEvent.click(screen.getByRole("button", { name: "Create alert" }));
    const created = environment.mock.getMostRecentOperation();
    expect(created.request.variables.input).toEqual({
      kind: "BUDGET_THRESHOLD",
      categoryId: null,
      percents: [50, 90],
      channels: ["IN_APP", "PUSH"],
    });
    await act(async () =>
      environment.mock.resolve(created, {
        data: {
          createAlertRule: {
            alertRule: { ...plain, id: "QWxlcnRSdWxlOjQ=", kind: "BUDGET_THRESHOLD", enabled: true, percents: [50, 90], channels: ["IN_APP", "PUSH"] },
          },
        },
      }),
    );
    expect(screen.getByText("When 50% and 90% of the month's budgets together is spent.")).toBeInTheDocument();
    expect(screen.getByText("By: In the app, Push")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "New alert" }));
    await userEvent.selectOptions(screen.getByLabelText("Alert me about"), "UNUSUAL_SPENDING");
    expect(screen.getByLabelText("Times the average")).toHaveValue("1.50");
    await userEvent.clear(screen.getByLabelText("Months averaged"));
    await userEvent.type(screen.getByLabelText("Months averaged"), "six");
    await userEvent.click(screen.getByRole("button", { name: "Create alert" }));
    // Caught before asking the API.
    expect(screen.getByLabelText("Months averaged")).toHaveAttribute("aria-invalid", "true");

    await userEvent.selectOptions(screen.getByLabelText("Alert me about"), "LOW_BALANCE");
    await userEvent.type(screen.getByLabelText("Threshold"), "100");
    await userEvent.selectOptions(screen.getByLabelText("Account"), CHECKING);
    await userEvent.click(screen.getByRole("button", { name: "Create alert" }));
    expect(environment.mock.getMostRecentOperation().request.variables.input).toEqual({
      kind: "LOW_BALANCE",
      threshold: "100",
      currency: "USD",
      accountId: CHECKING,
      channels: ["IN_APP", "EMAIL"],
    });
  }, 30_000);

  it("snoozes a rule and wakes it", async () => {
    const environment = createMockEnvironment();
    await showRules(environment, [overspent]);

    await userEvent.selectOptions(screen.getByLabelText("Snooze for"), "7");
    await userEvent.click(screen.getByRole("button", { name: "Snooze the Budget overspent alert" }));
    const snooze = environment.mock.getMostRecentOperation();
    const until = new Date(snooze.request.variables.input.until as string).getTime();
    expect(until - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(until - Date.now()).toBeLessThan(7.1 * 86_400_000);
    const later = new Date(until).toISOString();
    await act(async () =>
      environment.mock.resolve(snooze, { data: { snoozeAlertRule: { alertRule: { id: overspent.id, snoozedUntil: later } } } }),
    );
    expect(screen.getByText(/^Snoozed until/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Wake now" }));
    const wake = environment.mock.getMostRecentOperation();
    expect(wake.request.variables).toEqual({ input: { id: overspent.id } });
    await act(async () =>
      environment.mock.resolve(wake, { data: { unsnoozeAlertRule: { alertRule: { id: overspent.id, snoozedUntil: null } } } }),
    );
    expect(screen.queryByText(/^Snoozed until/)).toBeNull();
    expect(screen.getByText("Budget overspent alert woken.")).toBeInTheDocument();
  }, 20_000);
});
