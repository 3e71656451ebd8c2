import { useCallback, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { useBankLinkInstitutionMutation } from "../__generated__/useBankLinkInstitutionMutation.graphql";
import type { useBankLinkSyncMutation } from "../__generated__/useBankLinkSyncMutation.graphql";
import type { useBankLinkTokenMutation } from "../__generated__/useBankLinkTokenMutation.graphql";
import { errorMessage } from "../api/errors";
import { loadPlaidLink, type PlaidLinkError } from "./plaidLink";

const tokenMutation = graphql`
  mutation useBankLinkTokenMutation($input: CreateLinkTokenInput) {
    createLinkToken(input: $input) {
      linkToken
      linkScriptUrl
    }
  }
`;

const linkMutation = graphql`
  mutation useBankLinkInstitutionMutation($input: LinkInstitutionInput!) {
    linkInstitution(input: $input) {
      linkedInstitution {
        id
        name
        status
        lastSyncedAt
        ...InstitutionCard_institution
      }
    }
  }
`;

const syncMutation = graphql`
  mutation useBankLinkSyncMutation($input: SyncInstitutionInput!) {
    syncInstitution(input: $input) {
      linkedInstitution {
        id
        status
        lastSyncedAt
      }
    }
  }
`;

/** What a finished Link session did, for the page to say and to refresh after. */
export interface LinkDone {
  readonly message: string;
  readonly institutionId: string;
}

/** A new link (no institution) or a re-link of one that needs the user to sign in again. */
export type LinkTarget = { readonly id: string; readonly name: string } | null;

const NEW = "new";

/**
 * Opening Plaid Link and finishing what it started: a Link token from the API, Link's script
 * from where the API says, then `linkInstitution` with the public token of a new bank, or
 * `syncInstitution` after a re-link (update mode needs no exchange).
 */
export function useBankLink(onDone: (done: LinkDone) => void) {
  const [commitToken] = useMutation<useBankLinkTokenMutation>(tokenMutation);
  const [commitLink] = useMutation<useBankLinkInstitutionMutation>(linkMutation);
  const [commitSync] = useMutation<useBankLinkSyncMutation>(syncMutation);
  const [busyWith, setBusyWith] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fail = useCallback((message: string) => {
    setBusyWith(null);
    setError(message);
  }, []);

  const finishNew = useCallback(
    (publicToken: string) => {
      commitLink({
        variables: { input: { publicToken } },
        updater: (store) => {
          const added = store.getRootField("linkInstitution")?.getLinkedRecord("linkedInstitution");
          const root = store.getRoot();
          const listed = root.getLinkedRecords("linkedInstitutions") ?? [];
          if (added && !listed.some((record) => record?.getDataID() === added.getDataID())) {
            root.setLinkedRecords([...listed, added], "linkedInstitutions");
          }
        },
        onCompleted: ({ linkInstitution }) => {
          setBusyWith(null);
          const bank = linkInstitution.linkedInstitution;
          onDone({ message: `${bank.name} is linked. Its transactions are on their way.`, institutionId: bank.id });
        },
        onError: (failure) => fail(`The bank could not be linked: ${errorMessage(failure)}`),
      });
    },
    [commitLink, fail, onDone],
  );

  const finishRelink = useCallback(
    (target: { id: string; name: string }) => {
      commitSync({
        variables: { input: { id: target.id } },
        onCompleted: () => {
          setBusyWith(null);
          onDone({ message: `${target.name} is connected again. New transactions are on their way.`, institutionId: target.id });
        },
        onError: (failure) => fail(`${target.name} could not be synced: ${errorMessage(failure)}`),
      });
    },
    [commitSync, fail, onDone],
  );

  const start = useCallback(
    (target: LinkTarget) => {
      setError(null);
      setBusyWith(target?.id ?? NEW);
      commitToken({
        variables: { input: target ? { linkedInstitutionId: target.id } : null },
        onError: (failure) => fail(`Plaid Link could not be opened: ${errorMessage(failure)}`),
        onCompleted: ({ createLinkToken }) => {
          loadPlaidLink(createLinkToken.linkScriptUrl).then(
            (Plaid) => {
              const handler = Plaid.create({
                token: createLinkToken.linkToken,
                onSuccess: (publicToken) => {
                  handler.destroy();
                  if (target) finishRelink(target);
                  else finishNew(publicToken);
                },
                onExit: (exitError: PlaidLinkError | null) => {
                  handler.destroy();
                  setBusyWith(null);
                  if (exitError) setError(exitError.display_message ?? exitError.error_message);
                },
              });
              handler.open();
            },
            (failure: unknown) => fail(errorMessage(failure)),
          );
        },
      });
    },
    [commitToken, fail, finishNew, finishRelink],
  );

  return {
    start,
    error,
    clearError: () => setError(null),
    linkingNew: busyWith === NEW,
    relinking: (id: string) => busyWith === id,
    busy: busyWith !== null,
  };
}
