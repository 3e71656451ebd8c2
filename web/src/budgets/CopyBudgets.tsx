import { useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { CopyBudgetsMutation } from "../__generated__/CopyBudgetsMutation.graphql";
import { errorMessage } from "../api/errors";
import { formatMonth } from "../dates";
import { addMonths } from "./months";

const mutation = graphql`
  mutation CopyBudgetsMutation($input: CopyBudgetsInput!) {
    copyBudgets(input: $input) {
      copiedCount
    }
  }
`;

/** Copy the month before's budgets into this month; categories already set here keep theirs. */
export function CopyBudgets({ month, onChanged }: { month: string; onChanged: () => void }) {
  const [commit, copying] = useMutation<CopyBudgetsMutation>(mutation);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const before = addMonths(month, -1);

  function copy() {
    setMessage("");
    setError(null);
    commit({
      variables: { input: { fromMonth: before, toMonth: month, overwrite: false } },
      onCompleted: ({ copyBudgets: { copiedCount } }) => {
        setMessage(
          copiedCount === 0
            ? `Nothing to copy: ${formatMonth(before)} has no budgets this month lacks.`
            : `Copied ${copiedCount} budget${copiedCount === 1 ? "" : "s"} from ${formatMonth(before)}.`,
        );
        onChanged();
      },
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  return (
    <div className="copy-budgets">
      <button type="button" className="button" disabled={copying} onClick={copy}>
        {copying ? "Copying…" : `Copy ${formatMonth(before)}’s budgets`}
      </button>
      <p className="saved" role="status">
        {message}
      </p>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
