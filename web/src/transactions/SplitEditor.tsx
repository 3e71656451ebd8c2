import Big from "big.js";
import { type FormEvent, useId, useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { SplitEditor_transaction$data, SplitEditor_transaction$key } from "../__generated__/SplitEditor_transaction.graphql";
import type { SplitEditorSplitMutation } from "../__generated__/SplitEditorSplitMutation.graphql";
import type { SplitEditorUnsplitMutation } from "../__generated__/SplitEditorUnsplitMutation.graphql";
import { ApiError, errorMessage } from "../api/errors";
import { Money } from "../components/Money";
import { formatMoney } from "../money/format";
import { magnitude, readAmount } from "../money/amounts";
import { CategoryOptions, usePickers } from "./Pickers";

const fragment = graphql`
  fragment SplitEditor_transaction on Transaction {
    id
    description
    amount {
      amount
      currency
    }
    category {
      id
      name
    }
    splits {
      notes
      amount {
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

const split = graphql`
  mutation SplitEditorSplitMutation($input: SplitTransactionInput!) {
    splitTransaction(input: $input) {
      transaction {
        ...TransactionRow_transaction
      }
    }
  }
`;

const unsplit = graphql`
  mutation SplitEditorUnsplitMutation($input: UnsplitTransactionInput!) {
    unsplitTransaction(input: $input) {
      transaction {
        ...TransactionRow_transaction
      }
    }
  }
`;

/** The API takes 2 to 50 parts. */
const MAX_PARTS = 50;

interface Part {
  readonly key: number;
  readonly amount: string;
  readonly categoryId: string;
  readonly notes: string;
}

interface SplitErrors {
  readonly parts: Readonly<Record<number, { amount?: string; notes?: string; categoryId?: string }>>;
  readonly general: readonly string[];
}

const NO_ERRORS: SplitErrors = { parts: {}, general: [] };
let nextKey = 0;

function newPart(amount = "", categoryId = "", notes = ""): Part {
  nextKey += 1;
  return { key: nextKey, amount, categoryId, notes };
}

/** What the parts typed so far leave of the total (invalid amounts count as nothing yet). */
export function remainderOf(total: string, parts: readonly { amount: string }[], currency: string): Big {
  return parts.reduce((left, part) => {
    const reading = readAmount(part.amount, currency);
    return "amount" in reading ? left.minus(reading.amount) : left;
  }, new Big(magnitude(total)));
}

/** The server's errors beside the parts they name (`input.parts[1].amount`). */
function splitErrors(error: unknown): SplitErrors {
  if (!(error instanceof ApiError)) return { parts: {}, general: [errorMessage(error)] };
  const parts: Record<number, { amount?: string; notes?: string; categoryId?: string }> = {};
  const general: string[] = [];
  for (const item of error.errors) {
    const match = /^input\.parts\[(\d+)\]\.(amount|notes|categoryId)$/.exec(item.extensions?.field ?? "");
    if (match) {
      const index = Number(match[1]);
      const prefix = `${item.extensions?.field}: `;
      const text = item.message.startsWith(prefix) ? item.message.slice(prefix.length) : item.message;
      parts[index] = { ...parts[index], [match[2] as "amount"]: text.charAt(0).toUpperCase() + text.slice(1) };
    } else {
      general.push(item.message);
    }
  }
  return { parts, general };
}

/**
 * Split a transaction into parts, each with its amount, category and notes. What is left to split
 * shows as the parts are typed; the parts must add up to the transaction exactly (the API refuses
 * otherwise, and so does this form before asking).
 */
export function SplitEditor({ transaction }: { transaction: SplitEditor_transaction$key }) {
  const data = useFragment(fragment, transaction);
  const [editing, setEditing] = useState(false);
  const [commitUnsplit, unsplitting] = useMutation<SplitEditorUnsplitMutation>(unsplit);
  const [error, setError] = useState<string | null>(null);
  const isSplit = data.splits.length > 0;

  if (editing) return <SplitForm data={data} onDone={() => setEditing(false)} />;
  return (
    <section className="tx-split" aria-label={`Parts of ${data.description}`}>
      <p className="tx-split-title">Parts</p>
      {isSplit ? (
        <ul className="split-parts">
          {data.splits.map((part, index) => (
            <li key={index}>
              <Money value={part.amount} signed /> {part.category?.name ?? "Uncategorized"}
              {part.notes && <span className="muted"> · {part.notes}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Not split: it counts in one category.</p>
      )}
      <div className="button-row">
        <button type="button" className="button button-small" onClick={() => setEditing(true)}>
          {isSplit ? "Change parts" : "Split"}
        </button>
        {isSplit && (
          <button
            type="button"
            className="button button-small"
            disabled={unsplitting}
            onClick={() => {
              setError(null);
              commitUnsplit({ variables: { input: { id: data.id } }, onError: (failure) => setError(errorMessage(failure)) });
            }}
          >
            Unsplit
          </button>
        )}
      </div>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function SplitForm({ data, onDone }: { data: SplitEditor_transaction$data; onDone: () => void }) {
  const id = useId();
  const currency = data.amount.currency;
  const outgoing = data.amount.amount.startsWith("-");
  const [commit, saving] = useMutation<SplitEditorSplitMutation>(split);
  const { categories } = usePickers();
  const [errors, setErrors] = useState<SplitErrors>(NO_ERRORS);
  const [parts, setParts] = useState<Part[]>(() =>
    data.splits.length > 0
      ? data.splits.map((part) => newPart(magnitude(part.amount.amount), part.category?.id ?? "", part.notes ?? ""))
      : [newPart(magnitude(data.amount.amount), data.category?.id ?? ""), newPart()],
  );
  const left = remainderOf(data.amount.amount, parts, currency);
  const money = (amount: Big) => formatMoney({ amount: amount.abs().toFixed(), currency });

  function change(key: number, update: Partial<Part>) {
    setParts((all) => all.map((part) => (part.key === key ? { ...part, ...update } : part)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<number, { amount?: string }> = {};
    const input = parts.map((part, index) => {
      const reading = readAmount(part.amount, currency);
      if ("error" in reading) found[index] = { amount: reading.error };
      const amount = "amount" in reading ? reading.amount : "0";
      return {
        amount: outgoing ? `-${amount}` : amount,
        categoryId: part.categoryId || null,
        notes: part.notes.trim() || null,
      };
    });
    const general = left.eq(0) ? [] : [`The parts must add up to ${money(new Big(data.amount.amount))}: ${left.gt(0) ? `${money(left)} is not in a part yet` : `they are ${money(left)} over`}.`];
    if (Object.keys(found).length > 0 || general.length > 0) {
      setErrors({ parts: found, general });
      return;
    }
    setErrors(NO_ERRORS);
    commit({
      variables: { input: { id: data.id, parts: input } },
      onCompleted: onDone,
      onError: (failure) => setErrors(splitErrors(failure)),
    });
  }

  return (
    <form className="tx-split split-form" aria-label={`Split ${data.description}`} onSubmit={submit} noValidate>
      <p className="tx-split-title">Split {money(new Big(data.amount.amount))}</p>
      <p className="muted" id={`${id}-hint`}>
        Amounts without a sign: every part is money {outgoing ? "out" : "in"}, like the transaction.
      </p>
      <ol className="split-rows">
        {parts.map((part, index) => {
          const partErrors = errors.parts[index] ?? {};
          const n = index + 1;
          return (
            <li key={part.key} className="split-row">
              <div className={partErrors.amount ? "field field-invalid" : "field"}>
                <label htmlFor={`${id}-${part.key}-amount`}>Part {n} amount</label>
                <input
                  id={`${id}-${part.key}-amount`}
                  inputMode="decimal"
                  value={part.amount}
                  onChange={(event) => change(part.key, { amount: event.target.value })}
                  aria-describedby={partErrors.amount ? `${id}-${part.key}-amount-error` : `${id}-hint`}
                  {...(partErrors.amount ? { "aria-invalid": true } : {})}
                />
                {partErrors.amount && (
                  <p className="field-error" id={`${id}-${part.key}-amount-error`}>
                    {partErrors.amount}
                  </p>
                )}
              </div>
              <div className={partErrors.categoryId ? "field field-invalid" : "field"}>
                <label htmlFor={`${id}-${part.key}-category`}>Part {n} category</label>
                <select
                  id={`${id}-${part.key}-category`}
                  value={part.categoryId}
                  onChange={(event) => change(part.key, { categoryId: event.target.value })}
                >
                  <option value="">Uncategorized</option>
                  <CategoryOptions current={categories.find((category) => category.id === part.categoryId) ?? null} />
                </select>
                {partErrors.categoryId && <p className="field-error">{partErrors.categoryId}</p>}
              </div>
              <div className={partErrors.notes ? "field field-invalid" : "field"}>
                <label htmlFor={`${id}-${part.key}-notes`}>Part {n} notes</label>
                <input id={`${id}-${part.key}-notes`} value={part.notes} onChange={(event) => change(part.key, { notes: event.target.value })} />
                {partErrors.notes && <p className="field-error">{partErrors.notes}</p>}
              </div>
              {parts.length > 2 && (
                <button
                  type="button"
                  className="button button-small split-remove"
                  onClick={() => setParts((all) => all.filter((item) => item.key !== part.key))}
                >
                  Remove part {n}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button button-small"
        disabled={parts.length >= MAX_PARTS}
        onClick={() => setParts((all) => [...all, newPart(left.gt(0) ? left.toFixed() : "")])}
      >
        Add a part
      </button>
      <p className={left.eq(0) ? "split-remainder split-even" : "split-remainder split-uneven"} role="status" aria-live="polite">
        {left.eq(0) ? "The parts add up exactly." : left.gt(0) ? `Left to split: ${money(left)}` : `Over by ${money(left)}`}
      </p>
      {errors.general.length > 0 && (
        <div className="form-alert" role="alert">
          {errors.general.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={saving}>
          {saving ? "Saving…" : "Save parts"}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
