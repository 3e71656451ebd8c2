import { useCallback, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { markReadMutation } from "../__generated__/markReadMutation.graphql";
import { errorMessage } from "../api/errors";
import { markReadInStore } from "./connections";

const mutation = graphql`
  mutation markReadMutation($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      markedCount
    }
  }
`;

/** The API takes at most this many ids at once. */
const MAX_IDS = 100;

/** Mark notifications read: shown at once, undone if the server refuses. */
export function useMarkRead(): { markRead: (ids: readonly string[]) => void; pending: boolean; error: string | null } {
  const [commit, pending] = useMutation<markReadMutation>(mutation);
  const [error, setError] = useState<string | null>(null);
  const markRead = useCallback(
    (ids: readonly string[]) => {
      const batch = ids.slice(0, MAX_IDS);
      if (batch.length === 0) return;
      setError(null);
      const readAt = new Date().toISOString();
      commit({
        variables: { input: { ids: [...batch] } },
        optimisticUpdater: (store) => markReadInStore(store, batch, readAt),
        updater: (store) => markReadInStore(store, batch, readAt),
        onError: (failure) => setError(errorMessage(failure)),
      });
    },
    [commit],
  );
  return { markRead, pending, error };
}
