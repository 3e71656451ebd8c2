import { useEffect, useRef, useState } from "react";
import { graphql, usePaginationFragment } from "react-relay";
import type { TransactionList_query$key } from "../__generated__/TransactionList_query.graphql";
import type { TransactionListPaginationQuery } from "../__generated__/TransactionListPaginationQuery.graphql";
import { Loading } from "../components/Loading";
import { BulkEditBar, type Selection } from "./BulkEditBar";
import type { TransactionFilterInput } from "./search";
import { TransactionRow } from "./TransactionRow";

export const PAGE_SIZE = 50;

const fragment = graphql`
  fragment TransactionList_query on Query
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 50 }
    cursor: { type: "String" }
    filter: { type: "TransactionFilter" }
  )
  @refetchable(queryName: "TransactionListPaginationQuery") {
    transactions(filter: $filter, first: $count, after: $cursor) @connection(key: "TransactionList_transactions", filters: ["filter"]) {
      totalCount
      edges {
        node {
          id
          ...TransactionRow_transaction
        }
      }
    }
  }
`;

const countFormat = new Intl.NumberFormat();

/**
 * The transactions a search finds, newest first, read page by page as the list scrolls (a button
 * does the same for keyboards), with how many there are in all. Rows can be chosen for one edit
 * of them all; "all that match" chooses the search itself.
 */
export function TransactionList({
  query,
  filter,
  searching,
  onChanged,
  onClearSearch,
}: {
  query: TransactionList_query$key;
  filter: TransactionFilterInput | null;
  searching: boolean;
  onChanged: () => void;
  onClearSearch: () => void;
}) {
  const { data, loadNext, hasNext, isLoadingNext } = usePaginationFragment<TransactionListPaginationQuery, TransactionList_query$key>(
    fragment,
    query,
  );
  const [selection, setSelection] = useState<Selection>({ kind: "ids", ids: new Set() });
  const sentinel = useRef<HTMLDivElement>(null);
  const { edges, totalCount } = data.transactions;
  const filterKey = JSON.stringify(filter);

  // Another search chooses afresh.
  useEffect(() => setSelection({ kind: "ids", ids: new Set() }), [filterKey]);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNext || typeof IntersectionObserver === "undefined") return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isLoadingNext) loadNext(PAGE_SIZE);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNext, isLoadingNext, loadNext]);

  const loadedIds = edges.map(({ node }) => node.id);
  const chosen = (id: string) => selection.kind === "filter" || selection.ids.has(id);
  const allLoadedChosen = loadedIds.length > 0 && loadedIds.every(chosen);

  function choose(id: string, on: boolean) {
    setSelection((current) => {
      const ids = new Set(current.kind === "filter" ? loadedIds : current.ids);
      if (on) ids.add(id);
      else ids.delete(id);
      return { kind: "ids", ids };
    });
  }

  function chooseLoaded(on: boolean) {
    setSelection({ kind: "ids", ids: on ? new Set(loadedIds) : new Set() });
  }

  const count = countFormat.format(totalCount);
  return (
    <>
      <div className="tx-summary">
        <p className="tx-count" role="status" aria-live="polite">
          {totalCount === 1 ? "1 transaction" : `${count} transactions`}
          {filter ? " match" : ""}
        </p>
        {edges.length > 0 && (
          <label className="tx-select-all">
            <input type="checkbox" checked={allLoadedChosen} onChange={(event) => chooseLoaded(event.target.checked)} />
            Select all shown
          </label>
        )}
        {allLoadedChosen && totalCount > loadedIds.length && selection.kind === "ids" && (
          <button type="button" className="button button-small" onClick={() => setSelection({ kind: "filter" })}>
            Select all {count} {filter ? "that match" : "transactions"}
          </button>
        )}
      </div>
      <BulkEditBar
        selection={selection}
        filter={filter}
        totalCount={totalCount}
        onClear={() => setSelection({ kind: "ids", ids: new Set() })}
        onDone={onChanged}
      />
      {edges.length === 0 ? (
        filter ? (
          <div className="empty-state">
            <p className="empty">No transactions match this search.</p>
            <button type="button" className="button" onClick={onClearSearch}>
              Clear the search
            </button>
          </div>
        ) : (
          <p className="empty">No transactions yet. Record one by hand above, or link a bank on the Accounts page.</p>
        )
      ) : (
        <ul className={searching ? "tx-list tx-list-stale" : "tx-list"} aria-label="Transactions" aria-busy={searching}>
          {edges.map(({ node }) => (
            <TransactionRow key={node.id} transaction={node} selected={chosen(node.id)} onSelect={choose} />
          ))}
        </ul>
      )}
      <div ref={sentinel} className="sentinel" />
      {isLoadingNext && <Loading label="Loading more transactions…" />}
      {hasNext && !isLoadingNext && (
        <button type="button" className="button" onClick={() => loadNext(PAGE_SIZE)}>
          Load more transactions
        </button>
      )}
    </>
  );
}
