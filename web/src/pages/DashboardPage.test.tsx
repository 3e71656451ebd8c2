import { screen, within } from "@testing-library/react";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import { renderWithRelay } from "../test/render";
import DashboardPage from "./DashboardPage";

const usd = (amount: string) => ({ amount, currency: "USD" });

describe("the dashboard", () => {
  it("shows net worth, this month's budgets, goals, the latest transactions and unread alerts", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<DashboardPage />, environment);
    expect(screen.getByText("Loading…")).toBeInTheDocument();

    const operation = environment.mock.getMostRecentOperation();
    // "This month" is the user's, in their time zone.
    expect(operation.request.variables.month).toMatch(/^\d{4}-\d{2}$/);
    expect(operation.request.variables.to.startsWith(operation.request.variables.month)).toBe(true);

    await act(async () =>
      environment.mock.resolve(
        operation,
        MockPayloadGenerator.generate(operation, {
          Query: () => ({
            netWorth: [
              { date: "2026-10-31", month: "2026-10", amount: usd("1000.10"), unconvertedBalances: [] },
              { date: "2026-11-26", month: "2026-11", amount: usd("90071992547409.93"), unconvertedBalances: [] },
            ],
            budgets: [
              {
                id: "QnVkZ2V0OjE=",
                month: "2026-11",
                category: { name: "Groceries" },
                amount: usd("400.00"),
                spent: usd("523.45"),
                remaining: usd("-123.45"),
              },
            ],
            goals: [
              {
                id: "R29hbDox",
                name: "Emergency fund",
                progress: 0.24,
                targetDate: "2027-06-30",
                projectedDate: "2027-03-01",
                targetAmount: usd("5000.00"),
                savedAmount: usd("1200.00"),
              },
            ],
          }),
          TransactionConnection: () => ({
            edges: [
              {
                node: {
                  id: "VHJhbnNhY3Rpb246MQ==",
                  date: "2026-11-25",
                  description: "Whole Foods",
                  pending: true,
                  amount: usd("-123.45"),
                  category: { name: "Groceries" },
                  account: { name: "Checking" },
                },
              },
            ],
          }),
          NotificationConnection: () => ({
            edges: [{ node: { id: "Tm90aWZpY2F0aW9uOjE=" } }, { node: { id: "Tm90aWZpY2F0aW9uOjI=" } }],
            pageInfo: { hasNextPage: false, endCursor: null },
          }),
        }),
      ),
    );

    expect(screen.getByRole("heading", { level: 1, name: "Dashboard" })).toBeInTheDocument();
    // Exact to the cent, beyond a float's precision.
    expect(screen.getAllByText("$90,071,992,547,409.93")[0]).toHaveTextContent("$90,071,992,547,409.93");
    const budget = screen.getByRole("progressbar", { name: "Groceries budget" });
    expect(budget).toHaveAttribute("aria-valuenow", "100");
    expect(budget).toHaveAttribute("aria-valuetext", "$523.45 spent of $400.00, $123.45 over");
    expect(screen.getByText("$123.45 over")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Emergency fund goal" })).toHaveAttribute("aria-valuenow", "24");
    expect(screen.getByText(/At this pace Mar 1, 2027/)).toBeInTheDocument();
    const latest = screen.getByRole("region", { name: "Latest transactions" });
    expect(within(latest).getByText("-$123.45")).toHaveClass("money-out");
    expect(within(latest).getByText("Pending")).toBeInTheDocument();
    expect(screen.getByTestId("unread-count")).toHaveTextContent("2");
  });

  it("says what failed when the data cannot be loaded", async () => {
    const environment = createMockEnvironment();
    const { ErrorBoundary } = await import("../components/ErrorBoundary");
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    renderWithRelay(
      <ErrorBoundary what="this page">
        <DashboardPage />
      </ErrorBoundary>,
      environment,
    );
    await act(async () => environment.mock.reject(environment.mock.getMostRecentOperation(), new Error("Tally cannot be reached.")));
    expect(screen.getByRole("alert")).toHaveTextContent("Couldn't load this page");
    expect(screen.getByRole("alert")).toHaveTextContent("Tally cannot be reached.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    quiet.mockRestore();
  });
});
