import { useId, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { BulkEditBarMutation, BulkEditTransactionsInput } from "../__generated__/BulkEditBarMutation.graphql";
import { errorMessage } from "../api/errors";
import { CategoryOptions, type Named, usePickers } from "./Pickers";
import type { TransactionFilterInput } from "./search";
import { applyEdit } from "./useEditTransaction";

const mutation = graphql`
  mutation BulkEditBarMutation($input: BulkEditTransactionsInput!) {
    bulkEditTransactions(input: $input) {
      matchedCount
      changedCount
    }
  }
`;

/** Rows chosen one by one, or everything the search matches (every page of it). */
export type Selection = { readonly kind: "ids"; readonly ids: ReadonlySet<string> } | { readonly kind: "filter" };

const NO_CATEGORY = "none";
const countFormat = new Intl.NumberFormat();

function plural(count: number): string {
  return count === 1 ? "1 transaction" : `${countFormat.format(count)} transactions`;
}

/**
 * One edit of every chosen transaction, all or none: recategorise, tag, mark reviewed. Chosen rows
 * change at once; the list is read again after, as the search may no longer match them.
 */
export function BulkEditBar({
  selection,
  filter,
  totalCount,
  onClear,
  onDone,
}: {
  selection: Selection;
  filter: TransactionFilterInput | null;
  totalCount: number;
  onClear: () => void;
  onDone: () => void;
}) {
  const id = useId();
  const { categories, tags } = usePickers();
  const [commit, saving] = useMutation<BulkEditBarMutation>(mutation);
  const [categoryId, setCategoryId] = useState("");
  const [tagId, setTagId] = useState("");
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const count = selection.kind === "filter" ? totalCount : selection.ids.size;
  if (count === 0) {
    return (
      <p className="saved bulk-done" role="status">
        {status}
      </p>
    );
  }

  function run(change: Omit<BulkEditTransactionsInput, "ids" | "filter">, done: string, optimistic?: (id: string) => Parameters<typeof applyEdit>[2]) {
    setError(null);
    setStatus("");
    const chosen = selection.kind === "ids" ? [...selection.ids] : null;
    commit({
      variables: { input: { ...(chosen ? { ids: chosen } : { filter: filter ?? {} }), ...change } },
      ...(chosen && optimistic
        ? { optimisticUpdater: (store) => chosen.forEach((transactionId) => applyEdit(store, transactionId, optimistic(transactionId))) }
        : {}),
      onCompleted: ({ bulkEditTransactions: result }) => {
        setStatus(`${done} ${plural(result.matchedCount)} (${countFormat.format(result.changedCount)} changed).`);
        onClear();
        onDone();
      },
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  function recategorise() {
    const category: Named | null = categoryId === NO_CATEGORY ? null : (categories.find((item) => item.id === categoryId) ?? null);
    run({ setCategoryId: category?.id ?? null }, category ? `Moved to ${category.name}:` : "Uncategorized:", () => ({ field: "categoryId", category }));
  }

  function addTag() {
    const tag = tags.find((item) => item.id === tagId);
    if (!tag) return;
    run({ addTagIds: [tag.id] }, `Tagged ${tag.name}:`);
  }

  return (
    <section className="bulk-bar" aria-labelledby={`${id}-heading`}>
      <div className="bulk-head">
        <h2 id={`${id}-heading`} className="bulk-title">
          {selection.kind === "filter" ? `All ${plural(count)} chosen` : `${plural(count)} chosen`}
        </h2>
        <button type="button" className="button button-small" onClick={onClear}>
          Clear selection
        </button>
      </div>
      <div className="bulk-actions">
        <div className="bulk-action">
          <label htmlFor={`${id}-category`}>Category</label>
          <select id={`${id}-category`} value={categoryId} onChange={(event) => setCategoryId(event.target.value)}>
            <option value="" disabled>
              Choose…
            </option>
            <option value={NO_CATEGORY}>Uncategorized</option>
            <CategoryOptions />
          </select>
          <button type="button" className="button button-small" disabled={saving || categoryId === ""} onClick={recategorise}>
            Recategorise
          </button>
        </div>
        {tags.length > 0 && (
          <div className="bulk-action">
            <label htmlFor={`${id}-tag`}>Tag</label>
            <select id={`${id}-tag`} value={tagId} onChange={(event) => setTagId(event.target.value)}>
              <option value="" disabled>
                Choose…
              </option>
              {tags.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  {tag.name}
                </option>
              ))}
            </select>
            <button type="button" className="button button-small" disabled={saving || tagId === ""} onClick={addTag}>
              Add tag
            </button>
          </div>
        )}
        <button
          type="button"
          className="button button-small"
          disabled={saving}
          onClick={() => run({ setReviewed: true }, "Marked reviewed:", () => ({ field: "reviewed", reviewed: true }))}
        >
          Mark reviewed
        </button>
      </div>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>
    </section>
  );
}
