import { Suspense, useId, useState } from "react";
import { graphql, useFragment, useLazyLoadQuery, useMutation } from "react-relay";
import type { InstitutionCard_institution$key } from "../__generated__/InstitutionCard_institution.graphql";
import type { InstitutionCardProgressQuery } from "../__generated__/InstitutionCardProgressQuery.graphql";
import type { InstitutionCardSyncMutation } from "../__generated__/InstitutionCardSyncMutation.graphql";
import { errorMessage } from "../api/errors";
import { formatDateTime } from "../dates";
import { useViewer } from "../shell/viewer";
import { AccountList } from "./AccountList";
import { connectionState } from "./labels";
import { UnlinkDialog } from "./UnlinkDialog";

const fragment = graphql`
  fragment InstitutionCard_institution on LinkedInstitution {
    id
    name
    status
    errorCode
    lastSyncedAt
    accounts {
      id
      name
      type
      mask
      balance {
        amount
        currency
      }
    }
  }
`;

const progressQuery = graphql`
  query InstitutionCardProgressQuery($accountIds: [ID!]) {
    transactions(first: 1, filter: { accountIds: $accountIds }) {
      totalCount
    }
  }
`;

const syncMutation = graphql`
  mutation InstitutionCardSyncMutation($input: SyncInstitutionInput!) {
    syncInstitution(input: $input) {
      linkedInstitution {
        id
        status
        lastSyncedAt
      }
    }
  }
`;

/**
 * One linked bank: its health, its accounts with their balances, the first sync's progress,
 * and what the user can do: sync now, sign in again when the bank asks, unlink.
 */
export function InstitutionCard({
  institution,
  pollTick,
  relinking,
  onRelink,
  linkBusy,
  onUnlinked,
}: {
  institution: InstitutionCard_institution$key;
  pollTick: number;
  relinking: boolean;
  onRelink: (target: { id: string; name: string }) => void;
  linkBusy: boolean;
  onUnlinked: (message: string) => void;
}) {
  const bank = useFragment(fragment, institution);
  const { timeZone } = useViewer();
  const headingId = useId();
  const [commitSync, syncing] = useMutation<InstitutionCardSyncMutation>(syncMutation);
  const [syncMessage, setSyncMessage] = useState("");
  const [unlinking, setUnlinking] = useState(false);
  const state = connectionState(bank.status, bank.lastSyncedAt);
  const firstSync = bank.status === "HEALTHY" && !bank.lastSyncedAt;

  function syncNow() {
    setSyncMessage("");
    commitSync({
      variables: { input: { id: bank.id } },
      onCompleted: () => setSyncMessage("Asked the bank for new transactions."),
      onError: (failure) => setSyncMessage(`Could not sync: ${errorMessage(failure)}`),
    });
  }

  return (
    <section className="card bank-card" aria-labelledby={headingId}>
      <div className="bank-header">
        <h2 id={headingId}>{bank.name}</h2>
        <span className={`connection connection-${state.tone}`}>{state.label}</span>
      </div>
      {firstSync ? (
        <Suspense fallback={<FirstSyncStatus bankName={bank.name} count={null} />}>
          <FirstSyncProgress bankName={bank.name} accountIds={bank.accounts.map((a) => a.id)} pollTick={pollTick} />
        </Suspense>
      ) : (
        bank.lastSyncedAt && <p className="muted">Updated {formatDateTime(bank.lastSyncedAt, timeZone)}</p>
      )}
      {bank.status === "LOGIN_REQUIRED" && (
        <div className="bank-alert" role="note">
          <p>
            {bank.name} wants you to sign in again. Until you do, no new transactions arrive.
          </p>
          <button
            type="button"
            className="button button-primary"
            disabled={linkBusy}
            aria-label={`${relinking ? "Re-linking…" : "Re-link"} ${bank.name}`}
            onClick={() => onRelink({ id: bank.id, name: bank.name })}
          >
            {relinking ? "Re-linking…" : "Re-link"}
          </button>
        </div>
      )}
      {bank.status === "ERROR" && (
        <div className="bank-alert bank-alert-error" role="note">
          <p>
            The bank refused the connection{bank.errorCode ? ` (${bank.errorCode})` : ""}. Unlink it, then link it again.
          </p>
        </div>
      )}
      {bank.accounts.length > 0 ? (
        <AccountList accounts={bank.accounts} label={`Accounts at ${bank.name}`} />
      ) : (
        <p className="empty">No accounts from this bank yet.</p>
      )}
      <div className="bank-actions">
        <button
          type="button"
          className="button button-small"
          aria-label={`${syncing ? "Syncing…" : "Sync now"} ${bank.name}`}
          onClick={syncNow}
          disabled={syncing || bank.status !== "HEALTHY"}
        >
          {syncing ? "Syncing…" : "Sync now"}
        </button>
        <button
          type="button"
          className="button button-small button-danger"
          aria-label={`Unlink ${bank.name}`}
          onClick={() => setUnlinking(true)}
        >
          Unlink
        </button>
        <p className="saved" role="status">
          {syncMessage}
        </p>
      </div>
      {unlinking && (
        <UnlinkDialog
          institution={{ id: bank.id, name: bank.name, accountCount: bank.accounts.length }}
          onClose={() => setUnlinking(false)}
          onUnlinked={(message) => {
            setUnlinking(false);
            onUnlinked(message);
          }}
        />
      )}
    </section>
  );
}

function FirstSyncProgress({ bankName, accountIds, pollTick }: { bankName: string; accountIds: readonly string[]; pollTick: number }) {
  const data = useLazyLoadQuery<InstitutionCardProgressQuery>(
    progressQuery,
    { accountIds: [...accountIds] },
    { fetchPolicy: "store-and-network", fetchKey: pollTick },
  );
  return <FirstSyncStatus bankName={bankName} count={data.transactions.totalCount} />;
}

function FirstSyncStatus({ bankName, count }: { bankName: string; count: number | null }) {
  return (
    <div className="first-sync" role="status">
      <div className="progress progress-indeterminate" role="progressbar" aria-label={`Importing from ${bankName}`}>
        <div className="progress-fill" />
      </div>
      <p className="muted">
        Importing your history from {bankName}…
        {count !== null && count > 0 ? ` ${count} transactions so far.` : ""}
      </p>
    </div>
  );
}
