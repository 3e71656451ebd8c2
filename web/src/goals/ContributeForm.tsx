import { type FormEvent, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { ContributeFormMutation } from "../__generated__/ContributeFormMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { formatMoney } from "../money/format";
import { amountForApi } from "../money/input";

const mutation = graphql`
  mutation ContributeFormMutation($input: ContributeToGoalInput!) {
    contributeToGoal(input: $input) {
      goal {
        id
        ...GoalCard_goal
      }
    }
  }
`;

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Money put aside for a goal funded by contributions: how much, and when (today by default). */
export function ContributeForm({
  goalId,
  goalName,
  currency,
  today,
  onDone,
  onCancel,
}: {
  goalId: string;
  goalName: string;
  currency: string;
  today: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [commit, saving] = useMutation<ContributeFormMutation>(mutation);
  const [amount, setAmount] = useState("");
  const [date, setDate] = useState(today);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    const exact = amountForApi(amount);
    commit({
      variables: { input: { goalId, amount: exact, date: date || null } },
      onCompleted: () => {
        let shown = exact;
        try {
          shown = formatMoney({ amount: exact, currency });
        } catch {
          // Shown as typed when it is not a plain decimal (the API took it all the same).
        }
        onDone(`Added ${shown} to “${goalName}”.`);
      },
      onError: (error) => setErrors(formErrors(error, ["amount", "date"])),
    });
  }

  return (
    <form className="form form-row-wrap" onSubmit={submit} noValidate>
      <FormAlert messages={errors.general} />
      <Field label={`Amount (${currency})`} error={errors.fields.amount}>
        {(props) => (
          <input {...props} inputMode="decimal" autoComplete="off" required value={amount} onChange={(e) => setAmount(e.target.value)} />
        )}
      </Field>
      <Field label="Date" error={errors.fields.date}>
        {(props) => <input {...props} type="date" max={today} value={date} onChange={(e) => setDate(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Adding…" : "Add contribution"}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
