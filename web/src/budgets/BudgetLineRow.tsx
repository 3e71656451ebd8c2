import Big from "big.js";
import { useEffect, useId, useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { BudgetLineRow_line$key } from "../__generated__/BudgetLineRow_line.graphql";
import type { BudgetLineRowRolloverMutation } from "../__generated__/BudgetLineRowRolloverMutation.graphql";
import type { BudgetLineRowSetBudgetMutation } from "../__generated__/BudgetLineRowSetBudgetMutation.graphql";
import type { BudgetStyle } from "../__generated__/BudgetsPageQuery.graphql";
import { errorMessage, formErrors } from "../api/errors";
import { Money } from "../components/Money";
import { ProgressBar } from "../components/ProgressBar";
import { formatMoney } from "../money/format";
import { readAmount } from "../money/amounts";
import { isOverspent, leftText, sizeOf, spentShare, toSpend } from "./budgetMath";

const fragment = graphql`
  fragment BudgetLineRow_line on BudgetLine {
    rollover
    budget {
      id
    }
    budgeted {
      amount
      currency
    }
    carried {
      amount
      currency
    }
    spent {
      amount
      currency
    }
    available {
      amount
      currency
    }
    category {
      id
      name
      rollover
    }
  }
`;

const setBudget = graphql`
  mutation BudgetLineRowSetBudgetMutation($input: SetBudgetInput!) {
    setBudget(input: $input) {
      budget {
        id
        amount {
          amount
          currency
        }
      }
    }
  }
`;

const setRollover = graphql`
  mutation BudgetLineRowRolloverMutation($input: UpdateCategoryInput!) {
    updateCategory(input: $input) {
      category {
        id
        rollover
      }
    }
  }
`;

/**
 * One expense category's month: what is budgeted (set in place), carried in, spent and left,
 * with a bar of spent against what there was to spend. Overspending says so in words and colour.
 */
export function BudgetLineRow({
  line,
  month,
  style,
  onChanged,
}: {
  line: BudgetLineRow_line$key;
  month: string;
  style: BudgetStyle;
  onChanged: () => void;
}) {
  const data = useFragment(fragment, line);
  const id = useId();
  const envelope = style === "ENVELOPE";
  const name = data.category.name;
  const carried = new Big(data.carried.amount);
  // Limits: a category with no budget and nothing carried is not watched, not "overspent".
  const unwatched = !envelope && data.budget == null && carried.eq(0);
  const over = !unwatched && isOverspent(data);
  const spent = formatMoney(data.spent);
  const budget = formatMoney(toSpend(data));
  const [commitRollover, savingRollover] = useMutation<BudgetLineRowRolloverMutation>(setRollover);
  const [rolloverError, setRolloverError] = useState<string | null>(null);

  return (
    <tr className={over ? "budget-line budget-over" : "budget-line"}>
      <th scope="row" className="budget-name" data-label="Category">
        <span className="budget-category">{name}</span>
        {!unwatched && (
          <ProgressBar
            ratio={spentShare(data)}
            tone={over ? "over" : "normal"}
            label={`${name} budget`}
            valueText={`${spent} spent of ${budget}, ${leftText(data)}`}
          />
        )}
        {!envelope && (
          <label className="budget-rollover">
            <input
              type="checkbox"
              aria-label={`Roll over ${name}`}
              checked={data.category.rollover}
              disabled={savingRollover}
              onChange={(event) => {
                setRolloverError(null);
                commitRollover({
                  variables: { input: { id: data.category.id, rollover: event.target.checked } },
                  optimisticResponse: { updateCategory: { category: { id: data.category.id, rollover: event.target.checked } } },
                  onCompleted: onChanged,
                  onError: (failure) => setRolloverError(errorMessage(failure)),
                });
              }}
            />
            Roll over
          </label>
        )}
        {rolloverError && <p className="field-error">{rolloverError}</p>}
      </th>
      <td data-label={envelope ? "Assigned" : "Budgeted"}>
        <BudgetAmount
          categoryId={data.category.id}
          label={`${envelope ? "Assigned to" : "Budget for"} ${name}`}
          month={month}
          budgeted={data.budgeted}
          onChanged={onChanged}
          describedBy={`${id}-left`}
        />
      </td>
      <td data-label="Carried" className="budget-figure">
        {data.rollover || !carried.eq(0) ? (
          <span className={carried.lt(0) ? "money money-out" : "money"}>
            {carried.gt(0) ? `+${formatMoney(data.carried)}` : formatMoney(data.carried)}
          </span>
        ) : (
          <span className="muted">
            <span aria-hidden="true">—</span>
            <span className="visually-hidden">No rollover</span>
          </span>
        )}
      </td>
      <td data-label="Spent" className="budget-figure">
        <Money value={data.spent} />
      </td>
      <td data-label={envelope ? "Available" : "Left"} className="budget-figure" id={`${id}-left`}>
        {unwatched ? (
          <span className="muted budget-unset">No budget</span>
        ) : over ? (
          <span className="money money-out budget-overspent">Overspent {sizeOf(data.available)}</span>
        ) : (
          <Money value={data.available} />
        )}
      </td>
    </tr>
  );
}

/** The month's amount for a category, typed in place: saved on Enter or on leaving the box. */
function BudgetAmount({
  categoryId,
  label,
  month,
  budgeted,
  onChanged,
  describedBy,
}: {
  categoryId: string;
  label: string;
  month: string;
  budgeted: { amount: string; currency: string };
  onChanged: () => void;
  describedBy: string;
}) {
  const id = useId();
  const [commit, saving] = useMutation<BudgetLineRowSetBudgetMutation>(setBudget);
  const [text, setText] = useState(budgeted.amount);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(budgeted.amount), [budgeted.amount]);

  function save() {
    const reading = readAmount(text, budgeted.currency, { allowZero: true });
    if ("error" in reading) return setError(reading.error);
    setError(null);
    if (new Big(reading.amount).eq(budgeted.amount)) return setText(budgeted.amount);
    setText(reading.amount);
    commit({
      variables: { input: { categoryId, month, amount: reading.amount } },
      onCompleted: onChanged,
      onError: (failure) => {
        const { fields, general } = formErrors(failure, ["amount", "month", "categoryId"]);
        setError(fields.amount ?? fields.month ?? fields.categoryId ?? general.join(" "));
      },
    });
  }

  return (
    <div className={error ? "budget-amount field-invalid" : "budget-amount"}>
      <input
        id={id}
        inputMode="decimal"
        aria-label={label}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === "Enter") save();
          if (event.key === "Escape") {
            setText(budgeted.amount);
            setError(null);
          }
        }}
        aria-describedby={error ? `${id}-error ${describedBy}` : describedBy}
        {...(error ? { "aria-invalid": true } : {})}
      />
      {saving && <span className="muted budget-saving">Saving…</span>}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
