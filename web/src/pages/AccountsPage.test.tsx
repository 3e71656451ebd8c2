import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import type { OperationDescriptor } from "relay-runtime";
import type { PlaidLinkConfig, PlaidStatic } from "../accounts/plaidLink";
import { ApiError } from "../api/errors";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { renderWithRelay } from "../test/render";
import AccountsPage, { POLL_MS } from "./AccountsPage";

type Environment = ReturnType<typeof createMockEnvironment>;

const usd = (amount: string) => ({ amount, currency: "USD" });

const checking = { id: "QWNjb3VudDox", name: "Plaid Checking", type: "CHECKING", mask: "0000", balance: usd("110.00") };
const card = { id: "QWNjb3VudDoy", name: "Plaid Credit Card", type: "CREDIT", mask: "3333", balance: usd("-410.00") };

function bank(overrides: Record<string, unknown> = {}) {
  return {
    id: "TGlua2VkSW5zdGl0dXRpb246MQ==",
    name: "First Platypus Bank",
    status: "HEALTHY",
    errorCode: null,
    lastSyncedAt: "2026-11-26T15:05:00+00:00",
    accounts: [checking, card],
    ...overrides,
  };
}

function manual(id: string, name: string, amount: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    name,
    type: "CASH",
    currency: "USD",
    linked: false,
    institutionLabel: null,
    closedAt: null,
    closedOn: null,
    balance: usd(amount),
    openingBalance: usd("0.00"),
    ...overrides,
  };
}

function operation(environment: Environment, name: string): OperationDescriptor {
  const found = environment.mock.getAllOperations().find((op) => op.request.node.params.name === name);
  if (!found) throw new Error(`no pending ${name}`);
  return found;
}

async function resolvePage(environment: Environment, banks: unknown[], accounts: unknown[] = []) {
  const page = operation(environment, "AccountsPageQuery");
  await act(async () =>
    environment.mock.resolve(
      page,
      MockPayloadGenerator.generate(page, {
        Query: () => ({ linkedInstitutions: banks, accounts, ledgerSettings: { baseCurrency: "USD" } }),
      }),
    ),
  );
}

function fakePlaid() {
  const handler = { open: vi.fn(), exit: vi.fn(), destroy: vi.fn() };
  const configs: PlaidLinkConfig[] = [];
  const Plaid: PlaidStatic = {
    create: vi.fn((config: PlaidLinkConfig) => {
      configs.push(config);
      return handler;
    }),
  };
  window.Plaid = Plaid;
  return { handler, Plaid, lastConfig: () => configs.at(-1)! };
}

afterEach(() => {
  delete window.Plaid;
  vi.useRealTimers();
});

describe("the accounts & banks page", () => {
  it("shows each bank's accounts with balances and health, then the user's own accounts", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<AccountsPage />, environment);
    expect(screen.getByText("Loading…")).toBeInTheDocument();

    await resolvePage(
      environment,
      [bank()],
      [
        manual("QWNjb3VudDoz", "Wallet", "20.50", { institutionLabel: "Home" }),
        manual("QWNjb3VudDo0", "Old jar", "0.00", { closedAt: "2026-10-01T10:00:00+00:00", closedOn: "2026-10-01" }),
        { ...manual("QWNjb3VudDox", "Plaid Checking", "110.00"), type: "CHECKING", linked: true },
      ],
    );

    expect(screen.getByRole("heading", { level: 1, name: "Accounts & banks" })).toBeInTheDocument();
    const platypus = screen.getByRole("region", { name: "First Platypus Bank" });
    expect(within(platypus).getByText("Connected")).toBeInTheDocument();
    const accounts = within(platypus).getByRole("list", { name: "Accounts at First Platypus Bank" });
    expect(within(accounts).getByText("Checking ••0000")).toBeInTheDocument();
    expect(within(accounts).getByText("-$410.00")).toBeInTheDocument();
    expect(within(platypus).getByText("-$300.00")).toBeInTheDocument(); // the total, exact
    const own = screen.getByRole("region", { name: "Your own accounts" });
    // A linked account is shown with its bank, not again among the user's own.
    expect(within(own).queryByText("Plaid Checking")).not.toBeInTheDocument();
    expect(within(own).getByText("Cash · Home")).toBeInTheDocument();
    expect(within(own).getByText("$20.50")).toBeInTheDocument();
    expect(within(own).getByText("Closed accounts (1)")).toBeInTheDocument();
  });

  it("shows the first sync's progress and asks again until it lands", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const environment = createMockEnvironment();
    renderWithRelay(<AccountsPage />, environment);
    await resolvePage(environment, [bank({ lastSyncedAt: null })]);

    const platypus = screen.getByRole("region", { name: "First Platypus Bank" });
    expect(within(platypus).getByText("Importing")).toBeInTheDocument();
    expect(within(platypus).getByRole("progressbar", { name: "Importing from First Platypus Bank" })).toBeInTheDocument();
    const progress = operation(environment, "InstitutionCardProgressQuery");
    expect(progress.request.variables).toEqual({ accountIds: [checking.id, card.id] });
    await act(async () => environment.mock.resolve(progress, { data: { transactions: { totalCount: 57 } } }));
    expect(within(platypus).getByText(/57 transactions so far/)).toBeInTheDocument();

    await act(async () => vi.advanceTimersByTime(POLL_MS));
    const again = operation(environment, "AccountsPageQuery");
    await act(async () =>
      environment.mock.resolve(
        again,
        MockPayloadGenerator.generate(again, {
          Query: () => ({ linkedInstitutions: [bank()], accounts: [], ledgerSettings: { baseCurrency: "USD" } }),
        }),
      ),
    );
    expect(within(platypus).getByText("Connected")).toBeInTheDocument();
    expect(within(platypus).queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("links a bank through Plaid Link and adds it to the page", async () => {
    const environment = createMockEnvironment();
    const plaid = fakePlaid();
    renderWithRelay(<AccountsPage />, environment);
    await resolvePage(environment, []);
    expect(screen.getByText("No bank linked yet")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Link a bank" }));
    const token = operation(environment, "useBankLinkTokenMutation");
    expect(token.request.variables).toEqual({ input: null });
    await act(async () =>
      environment.mock.resolve(token, {
        data: { createLinkToken: { linkToken: "link-sandbox-1", linkScriptUrl: "/plaid-sandbox/link/v2/stable/link-initialize.js" } },
      }),
    );
    expect(plaid.Plaid.create).toHaveBeenCalledWith(expect.objectContaining({ token: "link-sandbox-1" }));
    expect(plaid.handler.open).toHaveBeenCalled();

    await act(async () =>
      plaid.lastConfig().onSuccess("public-sandbox-1", { institution: null, accounts: [], link_session_id: "s" }),
    );
    const linkCall = operation(environment, "useBankLinkInstitutionMutation");
    expect(linkCall.request.variables).toEqual({ input: { publicToken: "public-sandbox-1" } });
    await act(async () =>
      environment.mock.resolve(linkCall, {
        data: { linkInstitution: { linkedInstitution: { __typename: "LinkedInstitution", ...bank({ lastSyncedAt: null }) } } },
      }),
    );
    expect(screen.getByRole("region", { name: "First Platypus Bank" })).toBeInTheDocument();
    expect(screen.getByText("First Platypus Bank is linked. Its transactions are on their way.")).toBeInTheDocument();
    expect(plaid.handler.destroy).toHaveBeenCalled();
  });

  it("says why Link stopped when it exits with an error", async () => {
    const environment = createMockEnvironment();
    const plaid = fakePlaid();
    renderWithRelay(<AccountsPage />, environment);
    await resolvePage(environment, []);
    await userEvent.click(screen.getByRole("button", { name: "Link a bank" }));
    await act(async () =>
      environment.mock.resolve(operation(environment, "useBankLinkTokenMutation"), {
        data: { createLinkToken: { linkToken: "link-sandbox-1", linkScriptUrl: "/x.js" } },
      }),
    );
    await act(async () =>
      plaid.lastConfig().onExit?.(
        { error_type: "ITEM_ERROR", error_code: "INVALID_CREDENTIALS", error_message: "x", display_message: "The provided credentials were not correct. Please try again." },
        { institution: null, status: "requires_credentials", link_session_id: "s", request_id: "r" },
      ),
    );
    expect(screen.getByRole("alert")).toHaveTextContent("The provided credentials were not correct. Please try again.");
    expect(screen.getByRole("button", { name: "Link a bank" })).toBeEnabled();
  });

  it("offers to sign in again when the bank asks, in Link's update mode, then syncs", async () => {
    const environment = createMockEnvironment();
    const plaid = fakePlaid();
    renderWithRelay(<AccountsPage />, environment);
    await resolvePage(environment, [bank({ status: "LOGIN_REQUIRED", errorCode: "ITEM_LOGIN_REQUIRED" })]);

    const platypus = screen.getByRole("region", { name: "First Platypus Bank" });
    expect(within(platypus).getByText("Needs sign-in")).toBeInTheDocument();
    expect(within(platypus).getByRole("button", { name: "Sync now First Platypus Bank" })).toBeDisabled();
    await userEvent.click(within(platypus).getByRole("button", { name: "Re-link First Platypus Bank" }));
    const token = operation(environment, "useBankLinkTokenMutation");
    expect(token.request.variables).toEqual({ input: { linkedInstitutionId: bank().id } });
    await act(async () =>
      environment.mock.resolve(token, { data: { createLinkToken: { linkToken: "link-sandbox-2", linkScriptUrl: "/x.js" } } }),
    );
    await act(async () => plaid.lastConfig().onSuccess("public-sandbox-2", { institution: null, accounts: [], link_session_id: "s" }));
    const sync = operation(environment, "useBankLinkSyncMutation");
    expect(sync.request.variables).toEqual({ input: { id: bank().id } });
    await act(async () =>
      environment.mock.resolve(sync, {
        data: { syncInstitution: { linkedInstitution: { id: bank().id, status: "HEALTHY", lastSyncedAt: bank().lastSyncedAt } } },
      }),
    );
    expect(within(platypus).getByText("Connected")).toBeInTheDocument();
    expect(screen.getByText("First Platypus Bank is connected again. New transactions are on their way.")).toBeInTheDocument();
  });

  it("unlinks a bank after a keyboard-usable choice about its history", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<AccountsPage />, environment);
    await resolvePage(environment, [bank()]);
    const unlink = screen.getByRole("button", { name: "Unlink First Platypus Bank" });

    await userEvent.click(unlink);
    let dialog = screen.getByRole("dialog", { name: "Unlink First Platypus Bank?" });
    expect(within(dialog).getByRole("radio", { name: /Keep it/ })).toBeChecked();
    expect(within(dialog).getByRole("radio", { name: /Keep it/ })).toHaveFocus();
    // Escape closes it, and the focus is back where it was.
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(unlink).toHaveFocus();

    await userEvent.keyboard("{Enter}");
    dialog = screen.getByRole("dialog", { name: "Unlink First Platypus Bank?" });
    await userEvent.click(within(dialog).getByRole("radio", { name: /Delete it/ }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Unlink and delete history" }));
    const refused = operation(environment, "UnlinkDialogMutation");
    expect(refused.request.variables).toEqual({ input: { id: bank().id, history: "DELETE" } });
    await act(async () =>
      environment.mock.reject(
        refused,
        new ApiError([
          {
            message: "input.history: 'Plaid Saving' funds the goal 'Trip': change the goal's funding first",
            extensions: { code: "BAD_USER_INPUT", field: "input.history" },
          },
        ]),
      ),
    );
    expect(within(dialog).getByText("'Plaid Saving' funds the goal 'Trip': change the goal's funding first")).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("radio", { name: /Keep it/ }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Unlink and keep history" }));
    const kept = operation(environment, "UnlinkDialogMutation");
    await act(async () =>
      environment.mock.resolve(kept, {
        data: {
          unlinkInstitution: {
            unlinkedInstitutionId: bank().id,
            history: "KEEP",
            deletedAccountIds: [],
            deletedTransactionCount: 0,
            keptAccounts: [{ id: checking.id, linked: false }],
          },
        },
      }),
    );
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "First Platypus Bank" })).not.toBeInTheDocument();
    expect(screen.getByText("First Platypus Bank is unlinked. Its accounts stay, as your own accounts.")).toBeInTheDocument();
  });

  it("adds an account, with the API's objection shown next to its field", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<AccountsPage />, environment);
    await resolvePage(environment, []);
    await userEvent.click(screen.getByRole("button", { name: "Add an account" }));
    const dialog = screen.getByRole("dialog", { name: "Add an account" });
    await userEvent.type(within(dialog).getByLabelText("Name"), "Wallet");
    await userEvent.selectOptions(within(dialog).getByLabelText("Type"), "CASH");
    await userEvent.type(within(dialog).getByLabelText("Opening balance"), "12.345");
    await userEvent.click(within(dialog).getByRole("button", { name: "Add account" }));

    const refused = operation(environment, "AccountDialogCreateMutation");
    expect(refused.request.variables).toEqual({
      input: { name: "Wallet", type: "CASH", currency: "USD", openingBalance: "12.345", institutionLabel: null },
    });
    await act(async () =>
      environment.mock.reject(
        refused,
        new ApiError([{ message: "input.openingBalance: has more decimals than USD allows", extensions: { code: "BAD_USER_INPUT", field: "input.openingBalance" } }]),
      ),
    );
    const field = within(dialog).getByLabelText("Opening balance");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByText("Has more decimals than USD allows")).toBeInTheDocument();
  });

  it("edits, closes and reopens the user's own accounts", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<AccountsPage />, environment);
    const wallet = manual("QWNjb3VudDoz", "Wallet", "20.50", { openingBalance: usd("5.00"), institutionLabel: "Home" });
    await resolvePage(environment, [], [wallet, manual("QWNjb3VudDo0", "Old jar", "0.00", { closedAt: "2026-10-01T10:00:00+00:00", closedOn: "2026-10-01" })]);

    await userEvent.click(screen.getByRole("button", { name: "Edit Wallet" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Wallet" });
    expect(within(dialog).getByLabelText("Opening balance")).toHaveValue("5.00");
    expect(within(dialog).queryByLabelText("Currency")).not.toBeInTheDocument();
    await userEvent.clear(within(dialog).getByLabelText("Name"));
    await userEvent.type(within(dialog).getByLabelText("Name"), "Pocket money");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    const update = operation(environment, "AccountDialogUpdateMutation");
    expect(update.request.variables).toEqual({
      input: { id: wallet.id, name: "Pocket money", type: "CASH", institutionLabel: "Home", openingBalance: "5.00" },
    });
    await act(async () =>
      environment.mock.resolve(update, { data: { updateAccount: { account: { ...wallet, __typename: "Account", name: "Pocket money" } } } }),
    );
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByText("Pocket money is saved.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Close Pocket money" }));
    await userEvent.click(within(screen.getByRole("dialog", { name: "Close Pocket money?" })).getByRole("button", { name: "Close account" }));
    const close = operation(environment, "ManualAccountsCloseMutation");
    expect(close.request.variables).toEqual({ input: { id: wallet.id } });
    await act(async () =>
      environment.mock.resolve(close, {
        data: { closeAccount: { account: { id: wallet.id, closedAt: "2026-11-26T10:00:00+00:00", closedOn: "2026-11-26" } } },
      }),
    );
    expect(screen.getByText("Closed accounts (2)")).toBeInTheDocument();

    await userEvent.click(screen.getByText("Closed accounts (2)"));
    await userEvent.click(screen.getByRole("button", { name: "Reopen Old jar" }));
    const reopen = operation(environment, "ManualAccountsReopenMutation");
    await act(async () =>
      environment.mock.resolve(reopen, { data: { reopenAccount: { account: { id: "QWNjb3VudDo0", closedAt: null, closedOn: null } } } }),
    );
    expect(screen.getByText("Old jar is open again.")).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Your own accounts" })).getByText("Old jar")).toBeInTheDocument();
  });

  it("says what failed when the page cannot be loaded", async () => {
    const environment = createMockEnvironment();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    renderWithRelay(
      <ErrorBoundary what="this page">
        <AccountsPage />
      </ErrorBoundary>,
      environment,
    );
    await act(async () => environment.mock.reject(operation(environment, "AccountsPageQuery"), new Error("Tally cannot be reached.")));
    expect(screen.getByRole("alert")).toHaveTextContent("Couldn't load this page");
    quiet.mockRestore();
  });
});
