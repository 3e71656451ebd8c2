import { type FormEvent, useId, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { InstitutionHistory, UnlinkDialogMutation } from "../__generated__/UnlinkDialogMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { FormAlert } from "../components/Field";
import { Dialog } from "./Dialog";

const mutation = graphql`
  mutation UnlinkDialogMutation($input: UnlinkInstitutionInput!) {
    unlinkInstitution(input: $input) {
      unlinkedInstitutionId
      history
      deletedAccountIds
      deletedTransactionCount
      keptAccounts {
        id
        linked
      }
    }
  }
`;

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/**
 * Unlinking a bank, with a clear choice of what becomes of its history: kept (its accounts
 * stay, as the user's own) or deleted. Keeping is chosen until the user says otherwise.
 */
export function UnlinkDialog({
  institution,
  onClose,
  onUnlinked,
}: {
  institution: { id: string; name: string; accountCount: number };
  onClose: () => void;
  onUnlinked: (message: string) => void;
}) {
  const [commit, unlinking] = useMutation<UnlinkDialogMutation>(mutation);
  const [history, setHistory] = useState<InstitutionHistory>("KEEP");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const hintId = useId();
  const historyErrorId = useId();
  const name = institution.name;
  const accounts = institution.accountCount === 1 ? "its account" : `its ${institution.accountCount} accounts`;

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    commit({
      variables: { input: { id: institution.id, history } },
      updater: (store) => {
        const root = store.getRoot();
        const listed = root.getLinkedRecords("linkedInstitutions") ?? [];
        root.setLinkedRecords(
          listed.filter((record) => record?.getDataID() !== institution.id),
          "linkedInstitutions",
        );
      },
      onCompleted: ({ unlinkInstitution: done }) => {
        onUnlinked(
          done.history === "KEEP"
            ? `${name} is unlinked. Its accounts stay, as your own accounts.`
            : `${name} is unlinked. Its accounts and ${done.deletedTransactionCount} transactions are deleted.`,
        );
      },
      onError: (failure) => setErrors(formErrors(failure, ["history"])),
    });
  }

  return (
    <Dialog title={`Unlink ${name}?`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p id={hintId}>
          Tally stops getting transactions from {name}, and Plaid forgets this login. What should happen to {accounts} and their
          transactions?
        </p>
        <fieldset
          className={errors.fields.history ? "choice choice-invalid" : "choice"}
          aria-describedby={errors.fields.history ? historyErrorId : undefined}
        >
          <legend>{`${name}'s history`}</legend>
          <label className="choice-option">
            <input type="radio" name="history" value="KEEP" checked={history === "KEEP"} onChange={() => setHistory("KEEP")} />
            <span>
              <strong>Keep it</strong>
              <span className="choice-hint">Its accounts stay, as accounts you update yourself, with every transaction so far.</span>
            </span>
          </label>
          <label className="choice-option">
            <input type="radio" name="history" value="DELETE" checked={history === "DELETE"} onChange={() => setHistory("DELETE")} />
            <span>
              <strong>Delete it</strong>
              <span className="choice-hint">
                Its accounts and every transaction in them are deleted; budgets and reports stop counting them. This cannot be undone.
              </span>
            </span>
          </label>
          {errors.fields.history && (
            <p className="field-error" id={historyErrorId}>
              {errors.fields.history}
            </p>
          )}
        </fieldset>
        <FormAlert messages={errors.general} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={history === "DELETE" ? "button button-danger-strong" : "button button-primary"} disabled={unlinking}>
            {unlinking ? "Unlinking…" : history === "DELETE" ? "Unlink and delete history" : "Unlink and keep history"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
