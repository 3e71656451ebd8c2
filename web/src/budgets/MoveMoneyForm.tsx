import { type FormEvent, useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { MoveMoneyForm_month$key } from "../__generated__/MoveMoneyForm_month.graphql";
import type { MoveMoneyFormMutation } from "../__generated__/MoveMoneyFormMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { formatMoney } from "../money/format";
import { readAmount } from "../money/amounts";

const fragment = graphql`
  fragment MoveMoneyForm_month on BudgetMonth {
    month
    currency
    lines {
      available {
        amount
        currency
      }
      category {
        id
        name
      }
    }
  }
`;

const mutation = graphql`
  mutation MoveMoneyFormMutation($input: MoveBudgetInput!) {
    moveBudget(input: $input) {
      fromBudget {
        id
      }
      toBudget {
        id
      }
    }
  }
`;

const FIELDS = ["fromCategoryId", "toCategoryId", "amount"];
const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Envelope budgeting: move money from one category to another this month (ready to assign stays). */
export function MoveMoneyForm({ month, onChanged }: { month: MoveMoneyForm_month$key; onChanged: () => void }) {
  const data = useFragment(fragment, month);
  const [commit, saving] = useMutation<MoveMoneyFormMutation>(mutation);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [moved, setMoved] = useState("");
  const name = (id: string) => data.lines.find((line) => line.category.id === id)?.category.name ?? "";

  function submit(event: FormEvent) {
    event.preventDefault();
    setMoved("");
    const found: Record<string, string> = {};
    if (!from) found.fromCategoryId = "Choose where the money comes from.";
    if (!to) found.toCategoryId = "Choose where it goes.";
    else if (to === from) found.toCategoryId = "Choose another category than the one it leaves.";
    const reading = readAmount(amount, data.currency);
    if ("error" in reading) found.amount = reading.error;
    if (Object.keys(found).length > 0 || !("amount" in reading)) return setErrors({ fields: found, general: [] });
    setErrors(NO_ERRORS);
    commit({
      variables: { input: { fromCategoryId: from, toCategoryId: to, month: data.month, amount: reading.amount } },
      onCompleted: () => {
        setMoved(`Moved ${formatMoney({ amount: reading.amount, currency: data.currency })} from ${name(from)} to ${name(to)}.`);
        setAmount("");
        onChanged();
      },
      onError: (failure) => setErrors(formErrors(failure, FIELDS)),
    });
  }

  return (
    <section className="card move-money" aria-labelledby="move-heading">
      <h2 id="move-heading">Move money</h2>
      <form className="form move-form" onSubmit={submit} noValidate>
        <FormAlert messages={errors.general} />
        <Field label="From" error={errors.fields.fromCategoryId}>
          {(props) => (
            <select {...props} value={from} onChange={(event) => setFrom(event.target.value)}>
              <option value="">Choose…</option>
              {data.lines.map((line) => (
                <option key={line.category.id} value={line.category.id}>
                  {line.category.name} ({formatMoney(line.available)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="To" error={errors.fields.toCategoryId}>
          {(props) => (
            <select {...props} value={to} onChange={(event) => setTo(event.target.value)}>
              <option value="">Choose…</option>
              {data.lines.map((line) => (
                <option key={line.category.id} value={line.category.id}>
                  {line.category.name} ({formatMoney(line.available)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={`Amount (${data.currency})`} error={errors.fields.amount} hint="At most what the first category has available.">
          {(props) => <input {...props} inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Moving…" : "Move money"}
        </button>
        <p className="saved" role="status">
          {moved}
        </p>
      </form>
    </section>
  );
}
