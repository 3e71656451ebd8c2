import { type FormEvent, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { DeleteAccountMutation } from "../__generated__/DeleteAccountMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { Field, FormAlert } from "../components/Field";
import "./settings.css";

const mutation = graphql`
  mutation DeleteAccountMutation($input: DeleteMyAccountInput!) {
    deleteMyAccount(input: $input) {
      deletedUserId
      bankConnectionsRevoked
      bankConnectionsAwaitingRevocation
    }
  }
`;

/** What the person types to show they mean it. */
export const CONFIRMATION = "DELETE";
const NO_ERRORS: FormErrors = { fields: {}, general: [] };

function farewell(revoked: number, awaiting: number): string {
  const banks =
    revoked + awaiting === 0
      ? ""
      : ` Linked banks disconnected: ${revoked}${awaiting > 0 ? `; ${awaiting} more will be, as soon as Plaid answers` : ""}.`;
  return `Your Tally account and all its data are deleted.${banks}`;
}

/** Deleting the account, for good: the password again, and the word typed, then signed out. */
export function DeleteAccount() {
  const { session } = useAuth();
  const [commit, deleting] = useMutation<DeleteAccountMutation>(mutation);
  const [password, setPassword] = useState("");
  const [typed, setTyped] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const confirmed = typed.trim() === CONFIRMATION;

  function submit(event: FormEvent) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!password) missing.password = "Your password is needed to delete your account.";
    if (!confirmed) missing.confirmation = `Type ${CONFIRMATION} to confirm.`;
    if (Object.keys(missing).length > 0) {
      setErrors({ fields: missing, general: [] });
      return;
    }
    setErrors(NO_ERRORS);
    commit({
      variables: { input: { password } },
      onCompleted: ({ deleteMyAccount: done }) =>
        session.accountDeleted(farewell(done.bankConnectionsRevoked, done.bankConnectionsAwaitingRevocation)),
      onError: (error) => setErrors(formErrors(error, ["password"])),
    });
  }

  return (
    <section className="card settings-section danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete my account</h2>
      <p>
        This deletes your account and every piece of your data in Tally, for good, and disconnects your linked banks. It cannot be
        undone: download your data first to keep a copy.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert messages={errors.general} />
        <Field label="Your password" error={errors.fields.password}>
          {(props) => (
            <input {...props} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <Field label={`Type ${CONFIRMATION} to confirm`} error={errors.fields.confirmation}>
          {(props) => (
            <input {...props} autoComplete="off" autoCapitalize="characters" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button button-danger" disabled={deleting}>
            {deleting ? "Deleting…" : "Delete my account"}
          </button>
        </div>
      </form>
    </section>
  );
}
