import { useId, useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { ManualAccounts_accounts$key } from "../__generated__/ManualAccounts_accounts.graphql";
import type { ManualAccountsCloseMutation } from "../__generated__/ManualAccountsCloseMutation.graphql";
import type { ManualAccountsReopenMutation } from "../__generated__/ManualAccountsReopenMutation.graphql";
import { errorMessage } from "../api/errors";
import { FormAlert } from "../components/Field";
import { formatDate } from "../dates";
import { AccountDialog, type EditedAccount } from "./AccountDialog";
import { AccountList, type ListedAccount } from "./AccountList";
import { Dialog } from "./Dialog";

const fragment = graphql`
  fragment ManualAccounts_accounts on Account @relay(plural: true) {
    id
    name
    type
    currency
    linked
    institutionLabel
    closedAt
    closedOn
    balance {
      amount
      currency
    }
    openingBalance {
      amount
      currency
    }
  }
`;

const closeMutation = graphql`
  mutation ManualAccountsCloseMutation($input: CloseAccountInput!) {
    closeAccount(input: $input) {
      account {
        id
        closedAt
        closedOn
      }
    }
  }
`;

const reopenMutation = graphql`
  mutation ManualAccountsReopenMutation($input: ReopenAccountInput!) {
    reopenAccount(input: $input) {
      account {
        id
        closedAt
        closedOn
      }
    }
  }
`;

/**
 * The accounts the user keeps by hand (and those a bank left behind when unlinked keeping
 * their history): add, edit, close; closed ones apart, with a way to reopen them.
 */
export function ManualAccounts({
  accounts,
  baseCurrency,
  onChanged,
}: {
  accounts: ManualAccounts_accounts$key;
  baseCurrency: string;
  onChanged: (message: string) => void;
}) {
  const rows = useFragment(fragment, accounts).filter((account) => !account.linked);
  const open = rows.filter((account) => !account.closedAt);
  const closed = rows.filter((account) => account.closedAt);
  const headingId = useId();
  const [editing, setEditing] = useState<EditedAccount | "new" | null>(null);
  const [closing, setClosing] = useState<ListedAccount | null>(null);
  const [commitReopen] = useMutation<ManualAccountsReopenMutation>(reopenMutation);
  const [error, setError] = useState<string | null>(null);

  function edit(account: (typeof rows)[number]) {
    setEditing({
      id: account.id,
      name: account.name,
      type: account.type,
      currency: account.currency,
      institutionLabel: account.institutionLabel ?? null,
      openingBalance: account.openingBalance?.amount ?? "0",
    });
  }

  function reopen(account: (typeof rows)[number]) {
    setError(null);
    commitReopen({
      variables: { input: { id: account.id } },
      onCompleted: () => onChanged(`${account.name} is open again.`),
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="bank-header">
        <h2 id={headingId}>Your own accounts</h2>
        <button type="button" className="button button-small" onClick={() => setEditing("new")}>
          Add an account
        </button>
      </div>
      <FormAlert messages={error ? [error] : []} />
      {open.length === 0 ? (
        <p className="empty">No accounts of your own yet: add cash, a card or a bank you do not link.</p>
      ) : (
        <AccountList
          accounts={open}
          label="Your own accounts"
          actions={(account) => (
            <>
              <button type="button" className="button button-small" onClick={() => edit(account)} aria-label={`Edit ${account.name}`}>
                Edit
              </button>
              <button type="button" className="button button-small" onClick={() => setClosing(account)} aria-label={`Close ${account.name}`}>
                Close
              </button>
            </>
          )}
        />
      )}
      {closed.length > 0 && (
        <details className="closed-accounts">
          <summary>Closed accounts ({closed.length})</summary>
          <ul className="account-list" aria-label="Closed accounts">
            {closed.map((account) => (
              <li key={account.id} className="account-row">
                <div className="account-what">
                  <p className="account-name">{account.name}</p>
                  <p className="account-detail">Closed {account.closedOn ? formatDate(account.closedOn) : ""}</p>
                </div>
                <div className="account-actions">
                  <button type="button" className="button button-small" onClick={() => reopen(account)} aria-label={`Reopen ${account.name}`}>
                    Reopen
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
      {editing && (
        <AccountDialog
          account={editing === "new" ? null : editing}
          baseCurrency={baseCurrency}
          onClose={() => setEditing(null)}
          onSaved={(message) => {
            setEditing(null);
            onChanged(message);
          }}
        />
      )}
      {closing && (
        <CloseAccountDialog
          account={closing}
          onClose={() => setClosing(null)}
          onClosed={(message) => {
            setClosing(null);
            onChanged(message);
          }}
        />
      )}
    </section>
  );
}

function CloseAccountDialog({
  account,
  onClose,
  onClosed,
}: {
  account: ListedAccount;
  onClose: () => void;
  onClosed: (message: string) => void;
}) {
  const [commit, closing] = useMutation<ManualAccountsCloseMutation>(closeMutation);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Close ${account.name}?`} onClose={onClose}>
      <p>It keeps its history, leaves your net worth from today, and takes no new transactions. You can reopen it later.</p>
      <FormAlert messages={error ? [error] : []} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={closing}
          onClick={() =>
            commit({
              variables: { input: { id: account.id } },
              onCompleted: () => onClosed(`${account.name} is closed.`),
              onError: (failure) => setError(errorMessage(failure)),
            })
          }
        >
          {closing ? "Closing…" : "Close account"}
        </button>
      </div>
    </Dialog>
  );
}
