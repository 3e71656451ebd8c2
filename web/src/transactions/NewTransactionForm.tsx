import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { NewTransactionFormMutation } from "../__generated__/NewTransactionFormMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { todayIn } from "../dates";
import { readAmount } from "../money/amounts";
import { useViewer } from "../shell/viewer";
import { CategoryOptions, usePickers } from "./Pickers";
import { isDateText } from "./search";

const mutation = graphql`
  mutation NewTransactionFormMutation($input: CreateTransactionInput!) {
    createTransaction(input: $input) {
      transaction {
        id
        description
      }
    }
  }
`;

const FIELDS = ["accountId", "date", "amount", "description", "categoryId", "notes"];
const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Record a transaction by hand in one of the user's open accounts. */
export function NewTransactionForm({ onRecorded, onCancel }: { onRecorded: (description: string) => void; onCancel: () => void }) {
  const { accounts } = usePickers();
  const { timeZone } = useViewer();
  const id = useId();
  const [commit, saving] = useMutation<NewTransactionFormMutation>(mutation);
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? "");
  const [date, setDate] = useState(() => todayIn(timeZone));
  const [direction, setDirection] = useState<"out" | "in">("out");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [notes, setNotes] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const currency = accounts.find((account) => account.id === accountId)?.currency ?? "USD";
  const form = useRef<HTMLFormElement>(null);
  // Opened, the form has the focus: a keyboard user starts on its first field.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("select, input")?.focus();
  }, []);
  // A refusal takes the focus to the first field it names, so a keyboard user lands on it.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [errors]);

  if (accounts.length === 0) {
    return (
      <section className="card new-transaction" aria-label="New transaction">
        <p className="empty">Open an account first (on the Accounts page): every transaction is in one.</p>
        <button type="button" className="button" onClick={onCancel}>
          Close
        </button>
      </section>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const reading = readAmount(amount, currency);
    if ("error" in reading) found.amount = reading.error;
    if (!isDateText(date)) found.date = "Enter a date.";
    if (description.trim() === "") found.description = "Say what it was.";
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, general: [] });
      return;
    }
    setErrors(NO_ERRORS);
    const exact = "amount" in reading ? reading.amount : "0";
    commit({
      variables: {
        input: {
          accountId,
          date,
          amount: direction === "out" ? `-${exact}` : exact,
          description: description.trim(),
          categoryId: categoryId || null,
          notes: notes.trim() || null,
        },
      },
      onCompleted: ({ createTransaction }) => onRecorded(createTransaction.transaction.description),
      onError: (failure) => setErrors(formErrors(failure, FIELDS)),
    });
  }

  return (
    <form ref={form} className="card form new-transaction" aria-labelledby={`${id}-heading`} onSubmit={submit} noValidate>
      <h2 id={`${id}-heading`}>New transaction</h2>
      <FormAlert messages={errors.general} />
      <Field label="Account" error={errors.fields.accountId}>
        {(props) => (
          <select {...props} value={accountId} onChange={(event) => setAccountId(event.target.value)}>
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name} ({account.currency})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Date" error={errors.fields.date}>
        {(props) => <input {...props} type="date" value={date} onChange={(event) => setDate(event.target.value)} />}
      </Field>
      <fieldset className="direction">
        <legend>Which way</legend>
        <label>
          <input type="radio" name={`${id}-direction`} checked={direction === "out"} onChange={() => setDirection("out")} /> Money out
        </label>
        <label>
          <input type="radio" name={`${id}-direction`} checked={direction === "in"} onChange={() => setDirection("in")} /> Money in
        </label>
      </fieldset>
      <Field label={`Amount (${currency})`} error={errors.fields.amount}>
        {(props) => <input {...props} inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />}
      </Field>
      <Field label="Description" error={errors.fields.description} hint="What it was, e.g. the shop's name.">
        {(props) => <input {...props} value={description} maxLength={500} onChange={(event) => setDescription(event.target.value)} />}
      </Field>
      <Field label="Category" error={errors.fields.categoryId}>
        {(props) => (
          <select {...props} value={categoryId} onChange={(event) => setCategoryId(event.target.value)}>
            <option value="">Uncategorized</option>
            <CategoryOptions />
          </select>
        )}
      </Field>
      <Field label="Notes" error={errors.fields.notes}>
        {(props) => <input {...props} value={notes} onChange={(event) => setNotes(event.target.value)} />}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Recording…" : "Record transaction"}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
