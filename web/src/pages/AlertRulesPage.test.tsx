import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator, type MockEnvironment } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { renderWithRelay } from "../test/render";
import AlertRulesPage from "./AlertRulesPage";

const GROCERIES = "Q2F0ZWdvcnk6MQ==";
const overspent = { id: "QWxlcnRSdWxlOjE=", kind: "BUDGET_OVERSPENT", enabled: true, categoryId: null, threshold: null };
const large = {
  id: "QWxlcnRSdWxlOjI=",
  kind: "LARGE_TRANSACTION",
  enabled: true,
  categoryId: GROCERIES,
  threshold: { amount: "250.00", currency: "USD" },
};
// A kind a later API has and this app does not know yet.
const unknown = { id: "QWxlcnRSdWxlOjM=", kind: "WEEKLY_SUMMARY", enabled: false, categoryId: null, threshold: null };

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
    const weekly = screen.getByRole("switch", { name: /^Weekly summary/ });
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
    expect(refused.request.variables.input).toEqual({ kind: "LARGE_TRANSACTION", threshold: "0", currency: "USD", categoryId: null });
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
    expect(created.request.variables.input).toEqual({ kind: "LARGE_TRANSACTION", threshold: "1000.50", currency: "USD", categoryId: GROCERIES });
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
    expect(update.request.variables.input).toEqual({ id: large.id, threshold: "250.00", currency: "USD", categoryId: null });
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
});
