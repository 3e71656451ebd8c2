import Big from "big.js";
import { graphql, useFragment } from "react-relay";
import { Link } from "react-router";
import type { BudgetSummary_month$data, BudgetSummary_month$key } from "../__generated__/BudgetSummary_month.graphql";
import { Money } from "../components/Money";
import { formatMonth } from "../dates";
import { formatMoney } from "../money/format";
import { sizeOf } from "./budgetMath";
import { monthRange } from "./months";

const fragment = graphql`
  fragment BudgetSummary_month on BudgetMonth {
    month
    style
    income {
      amount
      currency
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
    uncategorized {
      amount
      currency
    }
    readyToAssign {
      amount {
        amount
        currency
      }
      income {
        amount
        currency
      }
      assigned {
        amount
        currency
      }
      overspent {
        amount
        currency
      }
    }
    missingRates {
      currency
      transactionCount
    }
    otherCurrencyBudgets {
      id
    }
  }
`;

/** The month's totals; in envelope budgeting first what is ready to assign. */
export function BudgetSummary({ month }: { month: BudgetSummary_month$key }) {
  const data = useFragment(fragment, month);
  const ready = data.readyToAssign;
  const uncategorized = new Big(data.uncategorized.amount);
  const { from, to } = monthRange(data.month);
  return (
    <>
      <div className="budget-summary">
        {ready && <ReadyToAssign ready={ready} />}
        <dl className="budget-totals">
          <div>
            <dt>{data.style === "ENVELOPE" ? "Assigned" : "Budgeted"}</dt>
            <dd>
              <Money value={data.budgeted} />
            </dd>
          </div>
          {!new Big(data.carried.amount).eq(0) && (
            <div>
              <dt>Carried in</dt>
              <dd>
                <Money value={data.carried} />
              </dd>
            </div>
          )}
          <div>
            <dt>Spent</dt>
            <dd>
              <Money value={data.spent} />
            </dd>
          </div>
          <div>
            <dt>{data.style === "ENVELOPE" ? "Available" : "Left"}</dt>
            <dd>
              {new Big(data.available.amount).lt(0) ? (
                <span className="money money-out">
                  {formatMoney(data.available)}
                  <span className="total-note">overspent</span>
                </span>
              ) : (
                <Money value={data.available} />
              )}
            </dd>
          </div>
          <div>
            <dt>Income</dt>
            <dd>
              <Money value={data.income} />
            </dd>
          </div>
        </dl>
      </div>
      {uncategorized.gt(0) && (
        <p className="note">
          {formatMoney(data.uncategorized)} spent in {formatMonth(data.month)} has no category, so no budget counts it.{" "}
          <Link to={`/transactions?uncategorized=yes&direction=out&from=${from}&to=${to}`}>Categorize it</Link>
        </p>
      )}
      {data.missingRates.length > 0 && (
        <p className="note">
          {data.missingRates.map((missing) => `${missing.transactionCount} in ${missing.currency}`).join(", ")}{" "}
          {data.missingRates.length === 1 && data.missingRates[0]?.transactionCount === 1 ? "transaction waits" : "transactions wait"} for an exchange
          rate and are not counted yet.
        </p>
      )}
      {data.otherCurrencyBudgets.length > 0 && (
        <p className="note">
          {data.otherCurrencyBudgets.length} budget{data.otherCurrencyBudgets.length === 1 ? " was" : "s were"} set in an earlier base currency and
          count as nothing until set again.
        </p>
      )}
    </>
  );
}

type Ready = NonNullable<BudgetSummary_month$data["readyToAssign"]>;

function ReadyToAssign({ ready }: { ready: Ready }) {
  const amount = new Big(ready.amount.amount);
  return (
    <section className={amount.lt(0) ? "card ready ready-over" : "card ready"} aria-labelledby="ready-heading">
      <h2 id="ready-heading">Ready to assign</h2>
      <p className={amount.lt(0) ? "figure money-out" : "figure"}>{formatMoney(ready.amount)}</p>
      {amount.lt(0) && <p className="money-out ready-warning">You assigned {sizeOf(ready.amount)} more than you have: take it back from a category.</p>}
      {amount.eq(0) && <p className="muted">Every dollar has a job.</p>}
      <p className="muted ready-breakdown">
        Income {formatMoney(ready.income)} − assigned {formatMoney(ready.assigned)} − overspent before {formatMoney(ready.overspent)}
      </p>
    </section>
  );
}
