import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, type MockEnvironment } from "relay-test-utils";
import type { OperationDescriptor } from "relay-runtime";
import { todayIn } from "../dates";
import { renderWithRelay, VIEWER } from "../test/render";
import ReportsPage from "./ReportsPage";

const usd = (amount: string) => ({ amount, currency: "USD" });
const month = (label: string, start: string, end: string, total: string) => ({ label, start, end, total: usd(total) });

/** Nine categories: the chart draws seven and "Other"; the totals table lists all nine. */
const SERIES: readonly (readonly [string, readonly [string, string], string])[] = [
  ["Rent", ["1200.00", "1200.00"], "2400.00"],
  ["Groceries", ["210.15", "333.60"], "543.75"],
  ["Dining", ["86.40", "0"], "86.40"],
  ["Transport", ["42.00", "42.00"], "84.00"],
  ["Shopping", ["30.00", "0"], "30.00"],
  ["Health", ["20.00", "0"], "20.00"],
  ["Utilities", ["15.00", "15.00"], "30.00"],
  ["Books", ["0.10", "0"], "0.10"],
  ["Gifts", ["0.20", "0"], "0.20"],
];

function categoryReport() {
  return {
    spendingReport: {
      total: usd("3193.45"),
      missingExchangeRates: [
        { currency: "EUR", transactionCount: 2, firstDate: "2026-10-02", lastDate: "2026-11-20", amount: { amount: "-75.50", currency: "EUR" } },
      ],
      periods: [month("2026-10", "2026-10-01", "2026-10-31", "1603.85"), month("2026-11", "2026-11-01", "2026-11-26", "1590.60")],
      series: SERIES.map(([name, amounts, total]) => ({ name, amounts: [...amounts], transactionCount: 2, total: usd(total) })),
    },
  };
}

async function resolve(environment: MockEnvironment, operation: OperationDescriptor, data: unknown) {
  await act(async () => environment.mock.resolve(operation, { data } as never));
}

function latest(environment: MockEnvironment, name: string): OperationDescriptor {
  const found = environment.mock.getAllOperations().filter((operation) => operation.request.node.params.name === name);
  const last = found.at(-1);
  if (!last) throw new Error(`no ${name} pending`);
  return last;
}

describe("the reports page", () => {
  it("shows spending by category over the last 12 months, with its table and what waits for a rate", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<ReportsPage />, environment);
    const operation = latest(environment, "SpendingByCategoryQuery");
    const today = todayIn(VIEWER.timeZone);
    expect(operation.request.variables).toMatchObject({ to: today, interval: "MONTH", direction: "SPENDING" });
    expect(operation.request.variables.from).toMatch(/^\d{4}-\d{2}-01$/);
    await resolve(environment, operation, categoryReport());

    expect(screen.getByRole("heading", { level: 2, name: "Spending by category" })).toBeInTheDocument();
    expect(screen.getByText(/^Total:/)).toHaveTextContent("Total: $3,193.45");
    expect(screen.getByText("2 transactions in EUR (€75.50 out), Oct 2, 2026 to Nov 20, 2026")).toBeInTheDocument();
    const totals = screen.getByRole("region", { name: "Every category over the range" });
    expect(within(totals).getAllByRole("row")).toHaveLength(1 + SERIES.length);
    expect(within(totals).getByRole("row", { name: "Rent 2 $2,400.00 75.2%" })).toBeInTheDocument();

    // Beside the chart, its figures as a table for screen readers: seven categories and Other,
    // added up exactly (0.10 + 0.20 is 0.30, not 0.30000000000000004).
    const hidden = screen.getByRole("table", { name: "Spending by category, by month" });
    expect(hidden.closest(".visually-hidden")).not.toBeNull();
    expect(within(hidden).getByRole("columnheader", { name: "Other (2)" })).toBeInTheDocument();
    expect(within(hidden).getByRole("row", { name: /^October 2026 \$1,200\.00 \$210\.15 .* \$0\.30 \$1,603\.85$/ })).toBeInTheDocument();
    expect(within(hidden).getByRole("row", { name: /^Total .* \$3,193\.45$/ })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Table" }));
    expect(screen.getByRole("button", { name: "Table" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("region", { name: "Spending by category, by month" })).toBeVisible();
  }, 20_000);

  it("asks again when the interval changes, keeping the report on screen meanwhile", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<ReportsPage />, environment);
    await resolve(environment, latest(environment, "SpendingByCategoryQuery"), categoryReport());

    await userEvent.selectOptions(screen.getByLabelText("Grouped by"), "WEEK");
    const weekly = latest(environment, "SpendingByCategoryQuery");
    expect(weekly.request.variables.interval).toBe("WEEK");
    expect(screen.getByRole("status", { name: "" })).toHaveTextContent("Updating the report…");
    expect(screen.getByRole("heading", { level: 2, name: "Spending by category" })).toBeInTheDocument();
    const report = categoryReport();
    report.spendingReport.periods = [month("2026-W47", "2026-11-16", "2026-11-22", "1603.85"), month("2026-W48", "2026-11-23", "2026-11-26", "1590.60")];
    await resolve(environment, weekly, report);
    expect(screen.getByRole("table", { name: "Spending by category, by week" })).toBeInTheDocument();
    expect(screen.getByRole("rowheader", { name: "Week of Nov 16, 2026" })).toBeInTheDocument();
  }, 20_000);

  it("shows cash flow with its totals, and net worth with the balances it cannot count", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<ReportsPage />, environment);
    await resolve(environment, latest(environment, "SpendingByCategoryQuery"), categoryReport());

    await userEvent.click(screen.getByRole("link", { name: "Cash flow" }));
    await resolve(environment, latest(environment, "CashFlowReportQuery"), {
      cashFlow: [
        { month: "2026-10", income: usd("3000.00"), expenses: usd("1603.85"), net: usd("1396.15"), missingRates: [] },
        { month: "2026-11", income: usd("0"), expenses: usd("1590.60"), net: usd("-1590.60"), missingRates: [] },
      ],
    });
    expect(screen.getByRole("heading", { level: 2, name: "Cash flow by month" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Cash flow" })).toHaveAttribute("aria-current", "page");
    expect(screen.queryByLabelText("Grouped by")).toBeNull(); // months only
    const cashFlow = screen.getByRole("table", { name: "Cash flow by month" });
    expect(within(cashFlow).getByRole("row", { name: "November 2026 $0.00 $1,590.60 -$1,590.60" })).toBeInTheDocument();
    expect(within(cashFlow).getByRole("row", { name: "Total $3,000.00 $3,194.45 -$194.45" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("link", { name: "Net worth" }));
    const netWorth = latest(environment, "NetWorthReportQuery");
    expect(netWorth.request.variables.interval).toBe("MONTH");
    await resolve(environment, netWorth, {
      netWorth: [
        { date: "2026-10-31", amount: usd("5000.00"), unconvertedBalances: [] },
        { date: "2026-11-26", amount: usd("3409.40"), unconvertedBalances: [{ amount: "250.00", currency: "EUR" }] },
      ],
    });
    expect(screen.getByText(/balances of €250\.00/)).toBeInTheDocument();
    expect(screen.getByText(/^On Nov 26, 2026:/)).toHaveTextContent("On Nov 26, 2026: $3,409.40");
    const points = screen.getByRole("table", { name: "Net worth at the end of each month" });
    expect(within(points).getByRole("row", { name: "Oct 31, 2026 $5,000.00" })).toBeInTheDocument();
  }, 20_000);

  it("lists spending by payee, and says when a report cannot be loaded", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<ReportsPage />, environment);
    await resolve(environment, latest(environment, "SpendingByCategoryQuery"), categoryReport());

    await userEvent.click(screen.getByRole("link", { name: "By payee" }));
    const payees = latest(environment, "SpendingListQuery");
    expect(payees.request.variables).toMatchObject({ groupBy: "PAYEE", direction: "SPENDING" });
    await resolve(environment, payees, {
      spendingReport: {
        total: usd("2500.00"),
        missingExchangeRates: [],
        series: [
          { name: "Landlord", transactionCount: 2, total: usd("2400.00") },
          { name: "No payee", transactionCount: 1, total: usd("100.00") },
        ],
      },
    });
    const table = screen.getByRole("region", { name: "Spending by payee, largest first" });
    expect(within(table).getByRole("row", { name: "Landlord 2 $2,400.00 96.0%" })).toBeInTheDocument();

    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await userEvent.selectOptions(screen.getByLabelText("Money"), "INCOME");
    const income = latest(environment, "SpendingListQuery");
    expect(income.request.variables.direction).toBe("INCOME");
    await act(async () => environment.mock.reject(income, new Error("Tally cannot be reached.")));
    expect(screen.getByRole("alert")).toHaveTextContent("Couldn't load this report");
    // The choices stay, to change them or try again.
    expect(screen.getByLabelText("Money")).toHaveValue("INCOME");
    quiet.mockRestore();
  }, 20_000);
});
