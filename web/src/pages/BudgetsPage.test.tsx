import { render, screen, within } from "@testing-library/react";
import Big from "big.js";
import userEvent from "@testing-library/user-event";
import { act, Suspense } from "react";
import { RelayEnvironmentProvider } from "react-relay";
import { MemoryRouter } from "react-router";
import type { OperationDescriptor } from "relay-runtime";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { VIEWER } from "../test/render";
import { ViewerContext } from "../shell/viewer";
import BudgetsPage from "./BudgetsPage";

type Environment = ReturnType<typeof createMockEnvironment>;

const usd = (amount: string) => ({ amount, currency: "USD" });
const GROCERIES = { id: "Q2F0ZWdvcnk6MQ==", name: "Groceries", group: "Food", rollover: true };
const DINING = { id: "Q2F0ZWdvcnk6Mg==", name: "Dining", group: "Food", rollover: false };
const RENT = { id: "Q2F0ZWdvcnk6Mw==", name: "Rent", group: "Housing", rollover: false };

function line(
  category: typeof GROCERIES,
  { budgeted, carried = "0.00", spent, rollover = category.rollover }: { budgeted: string | null; carried?: string; spent: string; rollover?: boolean },
) {
  const available = new Big(budgeted ?? "0").plus(carried).minus(spent);
  return {
    budget: budgeted === null ? null : { id: `budget-${category.id}` },
    budgeted: usd(budgeted ?? "0.00"),
    carried: usd(carried),
    spent: usd(spent),
    available: usd(available.toFixed(2)),
    rollover,
    category,
  };
}

function month(style: "LIMITS" | "ENVELOPE", lines: ReturnType<typeof line>[], extra: object = {}) {
  return {
    month: "2026-11",
    style,
    currency: "USD",
    income: usd("3000.00"),
    budgeted: usd("450.00"),
    carried: usd("20.00"),
    spent: usd("254.85"),
    available: usd("215.15"),
    uncategorized: usd("0.00"),
    readyToAssign: null,
    missingRates: [],
    otherCurrencyBudgets: [],
    lines,
    ...extra,
  };
}

function renderPage(environment: Environment, url = "/budgets?month=2026-11") {
  return render(
    <RelayEnvironmentProvider environment={environment}>
      <MemoryRouter initialEntries={[url]}>
        <ViewerContext.Provider value={VIEWER}>
          <ErrorBoundary what="this page">
            <Suspense fallback={<p>Loading…</p>}>
              <BudgetsPage />
            </Suspense>
          </ErrorBoundary>
        </ViewerContext.Provider>
      </MemoryRouter>
    </RelayEnvironmentProvider>,
  );
}

function pageQuery(environment: Environment): OperationDescriptor {
  const operation = environment.mock.getAllOperations().findLast((op) => op.request.node.params.name === "BudgetsPageQuery");
  if (!operation) throw new Error("no BudgetsPageQuery sent");
  return operation;
}

async function resolvePage(environment: Environment, budgetMonth: ReturnType<typeof month>) {
  const operation = pageQuery(environment);
  await act(async () =>
    environment.mock.resolve(operation, {
      data: { ledgerSettings: { budgetStyle: budgetMonth.style }, budgetMonth },
    }),
  );
}

function latest(environment: Environment, name: string): OperationDescriptor {
  const operation = environment.mock.getMostRecentOperation();
  expect(operation.request.node.params.name).toBe(name);
  return operation;
}

const LIMITS = month("LIMITS", [
  line(GROCERIES, { budgeted: "400.00", carried: "20.00", spent: "195.05" }),
  line(DINING, { budgeted: "50.00", spent: "59.80" }),
  line(RENT, { budgeted: null, spent: "0.00" }),
]);

describe("the budgets page", () => {
  it("shows a month's lines with progress, carries and overspending (limits)", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    expect(screen.getByText("Loading…")).toBeInTheDocument();
    expect(pageQuery(environment).request.variables).toEqual({ month: "2026-11" });
    await resolvePage(environment, LIMITS);

    expect(screen.getByRole("heading", { level: 1, name: "Budgets" })).toBeInTheDocument();
    expect(screen.getByText("November 2026")).toBeInTheDocument();
    const groceries = screen.getByRole("progressbar", { name: "Groceries budget" });
    // What there was to spend is the budget and what carried in.
    expect(groceries).toHaveAttribute("aria-valuetext", "$195.05 spent of $420.00, $224.95 left");
    expect(groceries).toHaveAttribute("aria-valuenow", "46");
    expect(screen.getByText("+$20.00")).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Roll over Groceries" })).toBeChecked();

    const dining = screen.getByRole("row", { name: /Dining/ });
    expect(within(dining).getByText("Overspent $9.80")).toHaveClass("money-out");
    expect(screen.getByRole("progressbar", { name: "Dining budget" })).toHaveAttribute("aria-valuenow", "100");
    // A category without a budget is not "overspent": it has none.
    expect(within(screen.getByRole("row", { name: /Rent/ })).getByText("No budget")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Ready to assign" })).not.toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /^Limits/ })).toBeChecked();

    // Months either side, ahead too.
    expect(screen.getByRole("link", { name: "Previous month, October 2026" })).toHaveAttribute("href", "/budgets?month=2026-10");
    expect(screen.getByRole("link", { name: "Next month, December 2026" })).toHaveAttribute("href", "/budgets?month=2026-12");
  });

  it("says when nothing is budgeted yet, and copies the month before", async () => {
    const environment = createMockEnvironment();
    renderPage(environment, "/budgets?month=2026-12");
    await resolvePage(environment, {
      ...month("LIMITS", [line(GROCERIES, { budgeted: null, spent: "0.00" })]),
      month: "2026-12",
    });
    expect(screen.getByText(/Nothing is budgeted for December 2026 yet/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Copy November 2026’s budgets" }));
    const copy = latest(environment, "CopyBudgetsMutation");
    expect(copy.request.variables).toEqual({ input: { fromMonth: "2026-11", toMonth: "2026-12", overwrite: false } });
    await act(async () => environment.mock.resolve(copy, { data: { copyBudgets: { copiedCount: 2 } } }));
    expect(screen.getByText("Copied 2 budgets from November 2026.")).toBeInTheDocument();
    // The month is read again.
    expect(latest(environment, "BudgetsPageQuery").request.variables).toEqual({ month: "2026-12" });
  });

  it("says what failed when the month cannot be loaded", async () => {
    const environment = createMockEnvironment();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    renderPage(environment);
    await act(async () => environment.mock.reject(pageQuery(environment), new Error("Tally cannot be reached.")));
    expect(screen.getByRole("alert")).toHaveTextContent("Couldn't load this page");
    expect(screen.getByRole("alert")).toHaveTextContent("Tally cannot be reached.");
    quiet.mockRestore();
  });

  it("sets a budget in place, and shows a refusal beside it", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, LIMITS);
    const dining = screen.getByRole("textbox", { name: "Budget for Dining" });
    await userEvent.clear(dining);
    await userEvent.type(dining, "1,2x{Enter}");
    expect(dining).toHaveAccessibleDescription(/Enter an amount in digits/);

    await userEvent.clear(dining);
    await userEvent.type(dining, "75{Enter}");
    const set = latest(environment, "BudgetLineRowSetBudgetMutation");
    expect(set.request.variables).toEqual({ input: { categoryId: DINING.id, month: "2026-11", amount: "75.00" } });
    await act(async () =>
      environment.mock.reject(
        set,
        new ApiError([{ message: "input.amount: is too large", extensions: { code: "BAD_USER_INPUT", field: "input.amount" } }]),
      ),
    );
    expect(dining).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Is too large")).toBeInTheDocument();

    await userEvent.clear(dining);
    await userEvent.type(dining, "80{Enter}");
    const again = latest(environment, "BudgetLineRowSetBudgetMutation");
    await act(async () =>
      environment.mock.resolve(again, MockPayloadGenerator.generate(again, { Budget: () => ({ id: "budget-dining", amount: usd("80.00") }) })),
    );
    expect(latest(environment, "BudgetsPageQuery").request.variables).toEqual({ month: "2026-11" });
  });

  it("budgets envelopes: ready to assign, moving money, overspending shown as such", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(
      environment,
      month(
        "ENVELOPE",
        [
          line(GROCERIES, { budgeted: "400.00", spent: "195.05", rollover: true }),
          line(DINING, { budgeted: "50.00", spent: "59.80", rollover: true }),
        ],
        {
          readyToAssign: { amount: usd("-25.00"), income: usd("3000.00"), assigned: usd("3025.00"), overspent: usd("0.00") },
        },
      ),
    );
    const ready = screen.getByRole("region", { name: "Ready to assign" });
    expect(within(ready).getByText("-$25.00")).toHaveClass("money-out");
    expect(within(ready).getByText(/You assigned \$25.00 more than you have/)).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Assigned to Groceries" })).toHaveValue("400.00");
    expect(screen.getByRole("columnheader", { name: "Available" })).toBeInTheDocument();
    expect(within(screen.getByRole("row", { name: /Dining/ })).getByText("Overspent $9.80")).toBeInTheDocument();
    expect(screen.queryByRole("checkbox", { name: /Roll over/ })).not.toBeInTheDocument();

    const move = screen.getByRole("region", { name: "Move money" });
    await userEvent.click(within(move).getByRole("button", { name: "Move money" }));
    expect(within(move).getByLabelText("From")).toHaveAccessibleDescription("Choose where the money comes from.");
    await userEvent.selectOptions(within(move).getByLabelText("From"), GROCERIES.id);
    await userEvent.selectOptions(within(move).getByLabelText("To"), DINING.id);
    await userEvent.type(within(move).getByLabelText("Amount (USD)"), "9.80");
    await userEvent.click(within(move).getByRole("button", { name: "Move money" }));
    const moved = latest(environment, "MoveMoneyFormMutation");
    expect(moved.request.variables).toEqual({
      input: { fromCategoryId: GROCERIES.id, toCategoryId: DINING.id, month: "2026-11", amount: "9.80" },
    });
    await act(async () => environment.mock.resolve(moved, MockPayloadGenerator.generate(moved)));
    expect(within(move).getByText("Moved $9.80 from Groceries to Dining.")).toBeInTheDocument();
  });

  it("switches the budgeting style at once", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, LIMITS);
    await userEvent.click(screen.getByRole("radio", { name: /^Envelope/ }));
    expect(screen.getByRole("radio", { name: /^Envelope/ })).toBeChecked();
    const style = latest(environment, "StyleSwitchMutation");
    expect(style.request.variables).toEqual({ input: { style: "ENVELOPE" } });
    await act(async () =>
      environment.mock.reject(style, new ApiError([{ message: "Tally had a problem.", extensions: { code: "INTERNAL" } }])),
    );
    expect(screen.getByRole("radio", { name: /^Limits/ })).toBeChecked();
    expect(screen.getByText("Tally had a problem.")).toBeInTheDocument();
  });
});
