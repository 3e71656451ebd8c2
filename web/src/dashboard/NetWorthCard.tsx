import Big from "big.js";
import { lazy, Suspense } from "react";
import { graphql, useFragment } from "react-relay";
import type { NetWorthCard_query$key } from "../__generated__/NetWorthCard_query.graphql";
import { Money } from "../components/Money";
import { formatDate, formatMonth } from "../dates";
import { formatMoney } from "../money/format";

// The chart library loads after the figures, in a chunk of its own: the first page stays small.
const NetWorthChart = lazy(() => import("./NetWorthChart"));

const fragment = graphql`
  fragment NetWorthCard_query on Query {
    netWorth(from: $from, to: $to) {
      date
      month
      amount {
        amount
        currency
      }
      unconvertedBalances {
        amount
        currency
      }
    }
  }
`;

export function NetWorthCard({ query }: { query: NetWorthCard_query$key }) {
  const { netWorth } = useFragment(fragment, query);
  const latest = netWorth.at(-1);
  const first = netWorth[0];
  const nothingYet = netWorth.every((point) => new Big(point.amount.amount).eq(0) && point.unconvertedBalances.length === 0);
  if (!latest || !first || nothingYet) {
    return (
      <section className="card card-wide area-net" aria-labelledby="net-worth-heading">
        <h2 id="net-worth-heading">Net worth</h2>
        {latest && (
          <p className="figure">
            <Money value={latest.amount} />
          </p>
        )}
        <p className="empty">Add an account or link a bank, and your net worth over the year shows here.</p>
      </section>
    );
  }
  const change = new Big(latest.amount.amount).minus(first.amount.amount).toFixed();
  const changeText = formatMoney({ amount: change, currency: latest.amount.currency });
  return (
    <section className="card card-wide area-net" aria-labelledby="net-worth-heading">
      <h2 id="net-worth-heading">Net worth</h2>
      <p className="figure">
        <Money value={latest.amount} />
      </p>
      <p className="muted">
        On {formatDate(latest.date)}; {change.startsWith("-") ? "" : "+"}
        {changeText} since {formatMonth(first.month)}.
      </p>
      {latest.unconvertedBalances.length > 0 && (
        <p className="note">
          Not counted, for want of an exchange rate:{" "}
          {latest.unconvertedBalances.map((balance) => formatMoney(balance)).join(", ")}.
        </p>
      )}
      <Suspense fallback={<div className="chart-placeholder" />}>
        <NetWorthChart points={netWorth} />
      </Suspense>
      <table className="visually-hidden">
        <caption>Net worth at each month's end</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Net worth</th>
          </tr>
        </thead>
        <tbody>
          {netWorth.map((point) => (
            <tr key={point.month}>
              <th scope="row">{formatMonth(point.month)}</th>
              <td>{formatMoney(point.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
