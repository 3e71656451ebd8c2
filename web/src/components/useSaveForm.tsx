import { useState } from "react";
import { useMutation } from "react-relay";
import type { GraphQLTaggedNode, MutationParameters } from "relay-runtime";
import { type FormErrors, formErrors } from "../api/errors";

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/**
 * A form that creates a thing or saves a change to one: both mutations, whether either is
 * running, and the errors to show, the API's mapped onto `fields` (the rest are general).
 */
export function useSaveForm<Create extends MutationParameters, Update extends MutationParameters>(
  createMutation: GraphQLTaggedNode,
  updateMutation: GraphQLTaggedNode,
  fields: readonly string[],
) {
  const [create, creating] = useMutation<Create>(createMutation);
  const [update, updating] = useMutation<Update>(updateMutation);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  return {
    create,
    update,
    saving: creating || updating,
    errors,
    setErrors,
    clearErrors: () => setErrors(NO_ERRORS),
    onError: (error: Error) => setErrors(formErrors(error, fields)),
  };
}

/** The form's submit and cancel buttons, both off while it saves. */
export function FormActions({ saving, label, onCancel }: { saving: boolean; label: string; onCancel: () => void }) {
  return (
    <div className="actions">
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? "Saving…" : label}
      </button>
      <button type="button" className="button" onClick={onCancel} disabled={saving}>
        Cancel
      </button>
    </div>
  );
}
