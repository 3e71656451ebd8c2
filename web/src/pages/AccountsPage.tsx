import { useCallback, useEffect, useState } from "react";
import { fetchQuery, graphql, useLazyLoadQuery, useRelayEnvironment } from "react-relay";
import type { AccountsPageQuery } from "../__generated__/AccountsPageQuery.graphql";
import "../accounts/accounts.css";
import { InstitutionCard } from "../accounts/InstitutionCard";
import { ManualAccounts } from "../accounts/ManualAccounts";
import { type LinkDone, useBankLink } from "../accounts/useBankLink";
import { FormAlert } from "../components/Field";
import { Page } from "../components/Page";

const query = graphql`
  query AccountsPageQuery {
    linkedInstitutions {
      id
      status
      lastSyncedAt
      ...InstitutionCard_institution
    }
    accounts(includeClosed: true) {
      ...ManualAccounts_accounts
    }
    ledgerSettings {
      baseCurrency
    }
  }
`;

/** How often the page asks again while a bank's first sync (or a re-link's sync) runs. */
export const POLL_MS = 2000;
/** How long after a re-link the page keeps asking, waiting for the new sync to land. */
const AFTER_RELINK_MS = 60_000;

/**
 * Accounts & banks: every account with its balance, by bank and then the user's own; linking a
 * bank through Plaid Link, the first sync's progress, a connection's health with a way to sign
 * in again, and unlinking with the user's choice about its history.
 */
export default function AccountsPage() {
  const environment = useRelayEnvironment();
  const [fetchKey, setFetchKey] = useState(0);
  const data = useLazyLoadQuery<AccountsPageQuery>(query, {}, { fetchPolicy: "store-and-network", fetchKey });
  const [announcement, setAnnouncement] = useState("");
  const [pollTick, setPollTick] = useState(0);
  const [watchUntil, setWatchUntil] = useState(0);

  const refresh = useCallback(() => {
    fetchQuery(environment, query, {}, { fetchPolicy: "network-only" }).subscribe({});
  }, [environment]);

  const linked = useCallback(
    (done: LinkDone) => {
      setAnnouncement(done.message);
      setWatchUntil(Date.now() + AFTER_RELINK_MS);
      refresh();
    },
    [refresh],
  );
  const link = useBankLink(linked);

  const firstSyncRunning = data.linkedInstitutions.some((bank) => bank.status === "HEALTHY" && !bank.lastSyncedAt);
  const polling = firstSyncRunning || watchUntil > Date.now();
  useEffect(() => {
    if (!polling) return undefined;
    const timer = window.setInterval(() => {
      if (watchUntil && Date.now() > watchUntil && !firstSyncRunning) setWatchUntil(0);
      refresh();
      setPollTick((tick) => tick + 1);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [polling, refresh, watchUntil, firstSyncRunning]);

  const changed = useCallback(
    (message: string) => {
      setAnnouncement(message);
      setFetchKey((key) => key + 1);
    },
    [setFetchKey],
  );

  return (
    <Page
      title="Accounts & banks"
      actions={
        <button type="button" className="button button-primary link-bank" onClick={() => link.start(null)} disabled={link.busy}>
          {link.linkingNew ? "Linking…" : "Link a bank"}
        </button>
      }
    >
      <FormAlert messages={link.error ? [link.error] : []} />
      <p className="saved accounts-announcement" role="status">
        {announcement}
      </p>
      <div className="accounts-page">
        {data.linkedInstitutions.length === 0 && (
          <section className="card accounts-empty">
            <h2>No bank linked yet</h2>
            <p className="muted">Link a bank and its accounts and transactions arrive on their own. Plaid keeps your login; Tally never sees it.</p>
          </section>
        )}
        {data.linkedInstitutions.map((bank) => (
          <InstitutionCard
            key={bank.id}
            institution={bank}
            pollTick={pollTick}
            relinking={link.relinking(bank.id)}
            linkBusy={link.busy}
            onRelink={(target) => link.start(target)}
            onUnlinked={changed}
          />
        ))}
        <ManualAccounts accounts={data.accounts} baseCurrency={data.ledgerSettings.baseCurrency} onChanged={changed} />
      </div>
    </Page>
  );
}
