import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import { useSearchParams } from "react-router";
import type { TransactionsPageQuery } from "../__generated__/TransactionsPageQuery.graphql";
import { Page } from "../components/Page";
import { NewTransactionForm } from "../transactions/NewTransactionForm";
import { PickersProvider } from "../transactions/Pickers";
import { SearchBar, type SearchChange } from "../transactions/SearchBar";
import { SearchErrorBoundary } from "../transactions/SearchErrorBoundary";
import { EMPTY_SEARCH, readSearch, toFilter, writeSearch } from "../transactions/search";
import { TransactionList } from "../transactions/TransactionList";
import "../transactions/transactions.css";

const query = graphql`
  query TransactionsPageQuery($filter: TransactionFilter, $payeeId: ID!, $hasPayee: Boolean!) {
    ...TransactionPickers_query
    ...TransactionList_query @arguments(filter: $filter)
    searchedPayee: payee(id: $payeeId) @include(if: $hasPayee) {
      id
      name
    }
  }
`;

/**
 * Every transaction, searched with the filter language (the search lives in the address), read
 * page by page, edited in place one by one or many at once, split, and recorded by hand.
 */
export default function TransactionsPage() {
  const [params] = useSearchParams();
  return (
    <SearchErrorBoundary search={params.toString()}>
      <TransactionsView />
    </SearchErrorBoundary>
  );
}

function TransactionsView() {
  const [params, setParams] = useSearchParams();
  const search = readSearch(params);
  const filter = toFilter(search);
  const [searching, startSearch] = useTransition();
  const [fetchKey, setFetchKey] = useState(0);
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const wasCreating = useRef(false);
  // The form closed: the focus goes back to the button that opened it.
  useEffect(() => {
    if (wasCreating.current && !creating) newButton.current?.focus();
    wasCreating.current = creating;
  }, [creating]);
  const [recorded, setRecorded] = useState("");
  const data = useLazyLoadQuery<TransactionsPageQuery>(
    query,
    { filter, payeeId: search.payeeId ?? "", hasPayee: search.payeeId !== null },
    { fetchPolicy: "store-and-network", fetchKey },
  );

  const changeSearch = useCallback<SearchChange>(
    (next, options) => {
      // Typing replaces the address (Back goes to the search before, not to each letter typed).
      startSearch(() => setParams(writeSearch(next), { replace: options?.typing ?? false }));
    },
    [setParams],
  );
  // After an edit the search may match other rows: read the list again, keeping it on screen.
  const reload = useCallback(() => startSearch(() => setFetchKey((key) => key + 1)), []);

  return (
    <Page
      title="Transactions"
      actions={
        !creating && (
          <button ref={newButton} type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New transaction
          </button>
        )
      }
    >
      <PickersProvider query={data}>
        {creating && (
          <NewTransactionForm
            onCancel={() => setCreating(false)}
            onRecorded={(description) => {
              setCreating(false);
              setRecorded(`Recorded “${description}”.`);
              reload();
            }}
          />
        )}
        <p className="saved" role="status">
          {recorded}
        </p>
        <SearchBar search={search} onChange={changeSearch} payee={data.searchedPayee ?? null} />
        <TransactionList
          query={data}
          filter={filter}
          searching={searching}
          onChanged={reload}
          onClearSearch={() => changeSearch(EMPTY_SEARCH)}
        />
      </PickersProvider>
    </Page>
  );
}
