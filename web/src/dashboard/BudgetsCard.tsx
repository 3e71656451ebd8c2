import { graphql, useFragment } from "react-relay";
import type { BudgetsCard_query$key } from "../__generated__/BudgetsCard_query.graphql";
import { ProgressBar } from "../components/ProgressBar";
import { formatMonth } from "../dates";
import { formatMoney, isNegative, shareOf } from "../money/format";

const fragment = graphql`
  fragment BudgetsCard_query on Query {
    budgets(month: $month) {
      id
      month
      category {
        name
      }
      amount {
        amount
        currency
      }
      spent {
        amount
        currency
      }
      remaining {
        amount
        currency
      }
    }
  }
`;

export function BudgetsCard({ query, month }: { query: BudgetsCard_query$key; month: string }) {
  const { budgets } = useFragment(fragment, query);
  return (
    <section className="card area-budgets" aria-labelledby="budgets-heading">
      <h2 id="budgets-heading">Budgets, {formatMonth(month)}</h2>
      {budgets.length === 0 ? (
        <p className="empty">No budgets for this month yet.</p>
      ) : (
        <ul className="progress-list">
          {budgets.map((budget) => {
            const over = isNegative(budget.remaining.amount);
            const ratio = shareOf(budget.spent.amount, budget.amount.amount);
            const spent = formatMoney(budget.spent);
            const limit = formatMoney(budget.amount);
            const left = over
              ? `${formatMoney({ ...budget.remaining, amount: budget.remaining.amount.slice(1) })} over`
              : `${formatMoney(budget.remaining)} left`;
            return (
              <li key={budget.id}>
                <div className="progress-row">
                  <span className="progress-name">{budget.category.name}</span>
                  <span className={over ? "progress-figure money-out" : "progress-figure"}>
                    {spent} of {limit}
                  </span>
                </div>
                <ProgressBar
                  ratio={ratio}
                  tone={over ? "over" : "normal"}
                  label={`${budget.category.name} budget`}
                  valueText={`${spent} spent of ${limit}, ${left}`}
                />
                <p className={over ? "progress-note money-out" : "progress-note"}>{left}</p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
