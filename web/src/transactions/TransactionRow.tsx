import { useId, useState } from "react";
import { graphql, useFragment } from "react-relay";
import type { TransactionRow_transaction$key } from "../__generated__/TransactionRow_transaction.graphql";
import { Money } from "../components/Money";
import { formatDate } from "../dates";
import { CategoryOptions, usePickers } from "./Pickers";
import { TransactionDetails } from "./TransactionDetails";
import { useEditTransaction } from "./useEditTransaction";

const fragment = graphql`
  fragment TransactionRow_transaction on Transaction {
    id
    date
    description
    pending
    reviewed
    amount {
      amount
      currency
    }
    account {
      name
    }
    category {
      id
      name
    }
    payee {
      id
      name
    }
    tags {
      id
      name
    }
    splits {
      __typename
    }
    transfer {
      counterpart {
        account {
          name
        }
      }
    }
    ...TransactionDetails_transaction
  }
`;

const NO_CATEGORY = "";

/**
 * One transaction: what it was, when, how much, and in place its category and whether it was
 * reviewed; its payee, notes, tags and parts behind "Details".
 */
export function TransactionRow({
  transaction,
  selected,
  onSelect,
}: {
  transaction: TransactionRow_transaction$key;
  selected: boolean;
  onSelect: (id: string, selected: boolean) => void;
}) {
  const data = useFragment(fragment, transaction);
  const { categories } = usePickers();
  const { edit, errors, setError } = useEditTransaction(data.id);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const categoryErrorId = useId();
  const reviewedErrorId = useId();
  const when = formatDate(data.date);
  const name = `${data.description}, ${when}`;
  const split = data.splits.length > 0;

  function pickCategory(value: string) {
    const category = value === NO_CATEGORY ? null : (categories.find((item) => item.id === value) ?? null);
    edit({ field: "categoryId", category });
  }

  return (
    <li className={selected ? "tx-row tx-selected" : "tx-row"}>
      <input
        type="checkbox"
        className="tx-select"
        checked={selected}
        aria-label={`Select ${name}`}
        onChange={(event) => onSelect(data.id, event.target.checked)}
      />
      <div className="tx-main">
        <p className="tx-description">
          {data.description}
          {data.pending && <span className="tag tag-pending">Pending</span>}
        </p>
        <p className="tx-meta">
          <time dateTime={data.date}>{when}</time> · {data.account.name}
          {data.payee && data.payee.name !== data.description && <> · {data.payee.name}</>}
          {data.tags.map((tag) => (
            <span key={tag.id} className="tag tx-tag">
              {tag.name}
            </span>
          ))}
        </p>
      </div>
      <div className={errors.categoryId ? "tx-category field-invalid" : "tx-category"}>
        {data.transfer ? (
          <p className="tx-fixed">Transfer with {data.transfer.counterpart.account.name}</p>
        ) : split ? (
          <p className="tx-fixed">Split in {data.splits.length} parts</p>
        ) : (
          <select
            aria-label={`Category of ${name}`}
            value={data.category?.id ?? NO_CATEGORY}
            onChange={(event) => pickCategory(event.target.value)}
            {...(errors.categoryId ? { "aria-invalid": true, "aria-describedby": categoryErrorId } : {})}
          >
            <option value={NO_CATEGORY}>Uncategorized</option>
            <CategoryOptions current={data.category} />
          </select>
        )}
        {errors.categoryId && (
          <p className="field-error" id={categoryErrorId}>
            {errors.categoryId}
          </p>
        )}
      </div>
      <div className="tx-amount">
        <Money value={data.amount} signed />
      </div>
      <div className="tx-reviewed">
        <label>
          <input
            type="checkbox"
            checked={data.reviewed}
            onChange={(event) => edit({ field: "reviewed", reviewed: event.target.checked })}
            aria-label={`Reviewed: ${name}`}
            {...(errors.reviewed ? { "aria-invalid": true, "aria-describedby": reviewedErrorId } : {})}
          />
          <span aria-hidden="true">Reviewed</span>
        </label>
        {errors.reviewed && (
          <p className="field-error" id={reviewedErrorId}>
            {errors.reviewed}
          </p>
        )}
      </div>
      <button
        type="button"
        className="button button-small tx-toggle"
        aria-expanded={open}
        aria-controls={detailsId}
        aria-label={`Details of ${name}`}
        onClick={() => setOpen((was) => !was)}
      >
        Details
      </button>
      {open && (
        <div id={detailsId} className="tx-details">
          <TransactionDetails transaction={data} edit={edit} errors={errors} setError={setError} />
        </div>
      )}
    </li>
  );
}
