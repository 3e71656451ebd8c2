import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act, Suspense } from "react";
import { RelayEnvironmentProvider } from "react-relay";
import { MemoryRouter, useLocation } from "react-router";
import type { OperationDescriptor } from "relay-runtime";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { VIEWER } from "../test/render";
import { ViewerContext } from "../shell/viewer";
import TransactionsPage from "./TransactionsPage";

type Environment = ReturnType<typeof createMockEnvironment>;

const usd = (amount: string) => ({ amount, currency: "USD" });
const GROCERIES = { id: "Q2F0ZWdvcnk6MQ==", name: "Groceries", group: "Food" };
const DINING = { id: "Q2F0ZWdvcnk6Mg==", name: "Dining", group: "Food" };
const SHOPPING = { id: "Q2F0ZWdvcnk6Mw==", name: "Shopping", group: "Lifestyle" };
const VACATION = { id: "VGFnOjE=", name: "vacation" };

function transaction(id: string, description: string, amount: string, category: typeof GROCERIES | null = null) {
  return {
    id,
    date: "2026-11-20",
    description,
    pending: false,
    reviewed: true,
    notes: null,
    amount: usd(amount),
    account: { name: "Everyday checking" },
    category,
    payee: { id: `payee-${id}`, name: description },
    tags: [],
    splits: [],
    transfer: null,
  };
}

const COSTCO = transaction("VHJhbnNhY3Rpb246MQ==", "Costco", "-152.36");
const WHOLE_FOODS = transaction("VHJhbnNhY3Rpb246Mg==", "Whole Foods", "-123.45", GROCERIES);

function Location() {
  const location = useLocation();
  return <p data-testid="location">{location.search}</p>;
}

function renderPage(environment: Environment, url = "/transactions") {
  return render(
    <RelayEnvironmentProvider environment={environment}>
      <MemoryRouter initialEntries={[url]}>
        <ViewerContext.Provider value={VIEWER}>
          <ErrorBoundary what="this page">
            <Suspense fallback={<p>Loading…</p>}>
              <TransactionsPage />
            </Suspense>
          </ErrorBoundary>
          <Location />
        </ViewerContext.Provider>
      </MemoryRouter>
    </RelayEnvironmentProvider>,
  );
}

function pageQuery(environment: Environment): OperationDescriptor {
  const operation = environment.mock
    .getAllOperations()
    .findLast((op) => op.request.node.params.name === "TransactionsPageQuery");
  if (!operation) throw new Error("no TransactionsPageQuery sent");
  return operation;
}

async function resolvePage(environment: Environment, edges: object[], { totalCount = edges.length, hasNextPage = false } = {}) {
  const operation = pageQuery(environment);
  await act(async () =>
    environment.mock.resolve(
      operation,
      MockPayloadGenerator.generate(operation, {
        Query: () => ({
          accounts: [{ id: "QWNjb3VudDox", name: "Everyday checking", currency: "USD" }],
          categories: [GROCERIES, DINING, SHOPPING],
          tags: [VACATION],
        }),
        TransactionConnection: () => ({
          totalCount,
          edges: edges.map((node, index) => ({ cursor: `c${index}`, node })),
          pageInfo: { hasNextPage, endCursor: `c${edges.length - 1}` },
        }),
      }),
    ),
  );
}

/** The last operation of that name (suggestions may be asked for after it). */
function lastOf(environment: Environment, name: string): OperationDescriptor | undefined {
  return environment.mock.getAllOperations().findLast((op) => op.request.node.params.name === name);
}

function latest(environment: Environment, name: string): OperationDescriptor {
  const operation = environment.mock.getMostRecentOperation();
  expect(operation.request.node.params.name).toBe(name);
  return operation;
}

describe("the transactions page", () => {
  it("shows loading, then every transaction with how many there are", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    expect(screen.getByText("Loading…")).toBeInTheDocument();
    expect(pageQuery(environment).request.variables).toMatchObject({ filter: null, hasPayee: false });
    await resolvePage(environment, [WHOLE_FOODS, COSTCO], { totalCount: 62, hasNextPage: true });

    expect(screen.getByRole("heading", { level: 1, name: "Transactions" })).toBeInTheDocument();
    expect(screen.getByText("62 transactions")).toBeInTheDocument();
    const rows = within(screen.getByRole("list", { name: "Transactions" })).getAllByRole("listitem");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("-$123.45")).toHaveClass("money-out");
    expect(screen.getByRole("combobox", { name: /^Category of Whole Foods/ })).toHaveValue(GROCERIES.id);
    expect(screen.getByRole("combobox", { name: /^Category of Costco/ })).toHaveValue("");

    // The next page follows the last cursor (scrolling to the end does the same).
    await userEvent.click(screen.getByRole("button", { name: "Load more transactions" }));
    const more = latest(environment, "TransactionListPaginationQuery");
    expect(more.request.variables).toMatchObject({ count: 50, cursor: "c1", filter: null });
  });

  it("says when there is nothing yet, and when a search finds nothing", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, []);
    expect(screen.getByText(/No transactions yet/)).toBeInTheDocument();

    const searching = createMockEnvironment();
    const { unmount } = renderPage(searching, "/transactions?q=zebra");
    await resolvePage(searching, []);
    expect(screen.getByText("No transactions match this search.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Clear the search" }));
    // The address changes once the list it asks for has come (meanwhile the old one stays).
    expect(pageQuery(searching).request.variables.filter).toBeNull();
    await resolvePage(searching, [WHOLE_FOODS]);
    expect(screen.getAllByTestId("location")[1]).toHaveTextContent(/^$/);
    unmount();
  });

  it("says what failed when the list cannot be loaded", async () => {
    const environment = createMockEnvironment();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    renderPage(environment);
    await act(async () => environment.mock.reject(pageQuery(environment), new Error("Tally cannot be reached.")));
    expect(screen.getByRole("alert")).toHaveTextContent("Couldn't load this page");
    expect(screen.getByRole("alert")).toHaveTextContent("Tally cannot be reached.");
    quiet.mockRestore();
  });

  it("offers a way out of a search naming something gone (a bookmarked address)", async () => {
    const environment = createMockEnvironment();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    renderPage(environment, "/transactions?tag=VGFnOjk5");
    await act(async () =>
      environment.mock.reject(pageQuery(environment), new ApiError([{ message: "Tag not found", extensions: { code: "NOT_FOUND" } }])),
    );
    expect(screen.getByRole("alert")).toHaveTextContent("This search cannot be run");
    expect(screen.getByRole("link", { name: "Clear the search" })).toHaveAttribute("href", "/transactions");
    await userEvent.click(screen.getByRole("link", { name: "Clear the search" }));
    expect(pageQuery(environment).request.variables.filter).toBeNull();
    await resolvePage(environment, [WHOLE_FOODS]);
    expect(screen.getByText("1 transaction")).toBeInTheDocument();
    quiet.mockRestore();
  });

  it("searches with the filter language, the address holding the search", async () => {
    const environment = createMockEnvironment();
    renderPage(environment, `/transactions?q=coffee&category=${encodeURIComponent(DINING.id)}&min=5&reviewed=no`);
    expect(pageQuery(environment).request.variables.filter).toEqual({
      search: "coffee",
      categoryId: DINING.id,
      minAmount: "5",
      reviewed: false,
    });
    await resolvePage(environment, [WHOLE_FOODS], { totalCount: 1 });
    expect(screen.getByText("1 transaction match")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Filters (3)" })).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByRole("list", { name: "Filters in use" })).toHaveTextContent("Category: Dining");

    await userEvent.click(screen.getByRole("button", { name: "Remove filter Category: Dining" }));
    expect(pageQuery(environment).request.variables.filter).toEqual({ search: "coffee", minAmount: "5", reviewed: false });
    await resolvePage(environment, [WHOLE_FOODS]);
    expect(screen.getByTestId("location")).toHaveTextContent("?q=coffee&min=5&reviewed=no");
    await userEvent.selectOptions(screen.getByLabelText("Category"), "Uncategorized only");
    await resolvePage(environment, [WHOLE_FOODS]);
    expect(screen.getByTestId("location")).toHaveTextContent("?q=coffee&min=5&reviewed=no&uncategorized=yes");

    // An amount the API would refuse stays out of the address, its reason beside it.
    await userEvent.clear(screen.getByLabelText("At most"));
    await userEvent.type(screen.getByLabelText("At most"), "1{Enter}");
    expect(screen.getByText("“At least” must not be more than “at most”.")).toBeInTheDocument();
    expect(screen.getByTestId("location")).not.toHaveTextContent("max=");
  });

  it("edits a category in place at once, and undoes it beside the field when refused", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, [WHOLE_FOODS]);
    const category = screen.getByRole("combobox", { name: /^Category of Whole Foods/ });

    await userEvent.selectOptions(category, "Dining");
    const edit = latest(environment, "useEditTransactionMutation");
    expect(edit.request.variables).toEqual({ input: { id: WHOLE_FOODS.id, categoryId: DINING.id } });
    expect(category).toHaveValue(DINING.id); // before the server answers
    await act(async () =>
      environment.mock.reject(
        edit,
        new ApiError([{ message: "input.categoryId: is hidden", extensions: { code: "BAD_USER_INPUT", field: "input.categoryId" } }]),
      ),
    );
    expect(category).toHaveValue(GROCERIES.id);
    expect(category).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Is hidden")).toHaveClass("field-error");

    // Reviewed: the same, and kept once the server agrees.
    const reviewed = screen.getByRole("checkbox", { name: /^Reviewed: Whole Foods/ });
    await userEvent.click(reviewed);
    const review = latest(environment, "useEditTransactionMutation");
    expect(review.request.variables).toEqual({ input: { id: WHOLE_FOODS.id, reviewed: false } });
    await act(async () =>
      environment.mock.resolve(review, MockPayloadGenerator.generate(review, { Transaction: () => ({ ...WHOLE_FOODS, reviewed: false }) })),
    );
    expect(reviewed).not.toBeChecked();
  });

  it("edits payee, notes and tags behind Details", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, [WHOLE_FOODS]);
    await userEvent.click(screen.getByRole("button", { name: /^Details of Whole Foods/ }));
    expect(screen.getByRole("button", { name: /^Details of Whole Foods/ })).toHaveAttribute("aria-expanded", "true");

    const list = within(screen.getByRole("list", { name: "Transactions" }));
    // A payee is picked among the user's: suggestions come as one types.
    const payee = list.getByLabelText("Payee");
    await userEvent.clear(payee);
    await userEvent.type(payee, "Trader");
    await act(async () => new Promise((resolve) => setTimeout(resolve, 300)));
    const suggestions = lastOf(environment, "PayeePickerQuery")!;
    expect(suggestions.request.variables).toEqual({ search: "Trader", first: 20 });
    await act(async () =>
      environment.mock.resolve(suggestions, {
        data: { payees: { edges: [{ node: { id: "UGF5ZWU6Nw==", name: "Trader Joe's" } }] } },
      }),
    );
    await userEvent.clear(payee);
    await userEvent.type(payee, "trader joe's{Enter}");
    expect(lastOf(environment, "useEditTransactionMutation")?.request.variables).toEqual({
      input: { id: WHOLE_FOODS.id, payeeId: "UGF5ZWU6Nw==" },
    });
    expect(payee).toHaveValue("Trader Joe's");

    const notes = list.getByLabelText("Notes");
    await userEvent.type(notes, "Birthday{Enter}");
    const notesEdit = lastOf(environment, "useEditTransactionMutation")!;
    expect(notesEdit.request.variables).toEqual({ input: { id: WHOLE_FOODS.id, notes: "Birthday" } });
    // Refused: the box keeps what was typed, the reason beside it.
    await act(async () =>
      environment.mock.reject(
        notesEdit,
        new ApiError([{ message: "input.notes: must be at most 2000 characters", extensions: { code: "BAD_USER_INPUT", field: "input.notes" } }]),
      ),
    );
    expect(notes).toHaveValue("Birthday");
    expect(notes).toHaveAccessibleDescription("Must be at most 2000 characters");

    await userEvent.click(screen.getByRole("checkbox", { name: "vacation" }));
    expect(lastOf(environment, "useEditTransactionMutation")?.request.variables).toEqual({
      input: { id: WHOLE_FOODS.id, tagIds: [VACATION.id] },
    });
    expect(screen.getByRole("checkbox", { name: "vacation" })).toBeChecked();
    expect(list.getAllByText("vacation")).toHaveLength(2); // on the row, and beside its box
  });

  it("splits a transaction, showing what is left to split as the parts are typed", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, [COSTCO]);
    await userEvent.click(screen.getByRole("button", { name: /^Details of Costco/ }));
    await userEvent.click(screen.getByRole("button", { name: "Split" }));
    const form = screen.getByRole("form", { name: "Split Costco" });
    const part1 = within(form).getByLabelText("Part 1 amount");
    expect(part1).toHaveValue("152.36");
    await userEvent.clear(part1);
    await userEvent.type(part1, "100");
    expect(within(form).getByRole("status")).toHaveTextContent("Left to split: $52.36");
    await userEvent.type(within(form).getByLabelText("Part 2 amount"), "60");
    expect(within(form).getByRole("status")).toHaveTextContent("Over by $7.64");

    // Uneven parts are not sent.
    const sent = environment.mock.getAllOperations().length;
    await userEvent.click(within(form).getByRole("button", { name: "Save parts" }));
    expect(within(form).getByRole("alert")).toHaveTextContent("The parts must add up to $152.36: they are $7.64 over.");
    expect(environment.mock.getAllOperations()).toHaveLength(sent);

    await userEvent.clear(within(form).getByLabelText("Part 2 amount"));
    await userEvent.type(within(form).getByLabelText("Part 2 amount"), "52.36");
    expect(within(form).getByRole("status")).toHaveTextContent("The parts add up exactly.");
    await userEvent.selectOptions(within(form).getByLabelText("Part 2 category"), "Shopping");
    await userEvent.click(within(form).getByRole("button", { name: "Save parts" }));
    const split = latest(environment, "SplitEditorSplitMutation");
    expect(split.request.variables).toEqual({
      input: {
        id: COSTCO.id,
        parts: [
          { amount: "-100.00", categoryId: null, notes: null },
          { amount: "-52.36", categoryId: SHOPPING.id, notes: null },
        ],
      },
    });
    // The API's reason for a part shows beside that part.
    await act(async () =>
      environment.mock.reject(
        split,
        new ApiError([{ message: "input.parts[1].amount: is too large", extensions: { code: "BAD_USER_INPUT", field: "input.parts[1].amount" } }]),
      ),
    );
    expect(within(form).getByLabelText("Part 2 amount")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByText("Is too large")).toBeInTheDocument();
  });

  it("recategorises the chosen transactions at once, or every one the search matches", async () => {
    const environment = createMockEnvironment();
    renderPage(environment, "/transactions?uncategorized=yes");
    await resolvePage(environment, [COSTCO, WHOLE_FOODS], { totalCount: 120, hasNextPage: true });
    await userEvent.click(screen.getByRole("checkbox", { name: /^Select Costco/ }));
    const bar = screen.getByRole("region", { name: "1 transaction chosen" });
    await userEvent.selectOptions(within(bar).getByLabelText("Category"), "Shopping");
    await userEvent.click(within(bar).getByRole("button", { name: "Recategorise" }));
    const byIds = latest(environment, "BulkEditBarMutation");
    expect(byIds.request.variables).toEqual({ input: { ids: [COSTCO.id], setCategoryId: SHOPPING.id } });
    expect(screen.getByRole("combobox", { name: /^Category of Costco/ })).toHaveValue(SHOPPING.id);
    await act(async () => environment.mock.resolve(byIds, { data: { bulkEditTransactions: { matchedCount: 1, changedCount: 1 } } }));
    expect(screen.getByText("Moved to Shopping: 1 transaction (1 changed).")).toBeInTheDocument();
    // The list is read again: the search may no longer match what changed.
    expect(environment.mock.getMostRecentOperation().request.node.params.name).toBe("TransactionsPageQuery");

    await userEvent.click(screen.getByLabelText("Select all shown"));
    await userEvent.click(screen.getByRole("button", { name: "Select all 120 that match" }));
    const all = screen.getByRole("region", { name: "All 120 transactions chosen" });
    await userEvent.click(within(all).getByRole("button", { name: "Mark reviewed" }));
    expect(latest(environment, "BulkEditBarMutation").request.variables).toEqual({
      input: { filter: { uncategorized: true }, setReviewed: true },
    });
  });

  it("records a transaction by hand, saying what is wrong beside each field", async () => {
    const environment = createMockEnvironment();
    renderPage(environment);
    await resolvePage(environment, [WHOLE_FOODS]);
    await userEvent.click(screen.getByRole("button", { name: "New transaction" }));
    const form = screen.getByRole("form", { name: "New transaction" });
    expect(within(form).getByLabelText("Account")).toHaveFocus();
    await userEvent.click(within(form).getByRole("button", { name: "Record transaction" }));
    expect(within(form).getByLabelText("Amount (USD)")).toHaveAccessibleDescription("Enter an amount.");
    expect(within(form).getByLabelText("Amount (USD)")).toHaveFocus();
    expect(within(form).getByLabelText("Description")).toHaveAttribute("aria-invalid", "true");

    await userEvent.type(within(form).getByLabelText("Amount (USD)"), "45");
    await userEvent.type(within(form).getByLabelText("Description"), "Farmers market");
    await userEvent.selectOptions(within(form).getByLabelText("Category"), "Groceries");
    await userEvent.click(within(form).getByRole("button", { name: "Record transaction" }));
    const create = latest(environment, "NewTransactionFormMutation");
    expect(create.request.variables.input).toMatchObject({
      accountId: "QWNjb3VudDox",
      amount: "-45.00",
      description: "Farmers market",
      categoryId: GROCERIES.id,
      notes: null,
    });
    expect(create.request.variables.input.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await act(async () =>
      environment.mock.resolve(create, { data: { createTransaction: { transaction: { id: "VHJhbnNhY3Rpb246OQ==", description: "Farmers market" } } } }),
    );
    expect(screen.getByText("Recorded “Farmers market”.")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "New transaction" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New transaction" })).toHaveFocus();
  });
});
