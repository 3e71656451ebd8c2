import { graphql, useLazyLoadQuery } from "react-relay";
import type { SpendingListQuery } from "../__generated__/SpendingListQuery.graphql";
import { formatMoney } from "../money/format";
import { DataTable } from "./DataTable";
import { share } from "./figures";
import { MissingRates } from "./MissingRates";
import type { ReportParams } from "./params";
import { ReportHeader } from "./ReportHeader";

const query = graphql`
  query SpendingListQuery($from: Date!, $to: Date!, $groupBy: ReportGrouping!, $direction: ReportDirection!) {
    spendingReport(from: $from, to: $to, groupBy: $groupBy, interval: WHOLE_RANGE, direction: $direction) {
      total {
        amount
        currency
      }
      missingExchangeRates {
        currency
        transactionCount
        firstDate
        lastDate
        amount {
          amount
          currency
        }
      }
      series {
        name
        transactionCount
        total {
          amount
          currency
        }
      }
    }
  }
`;

const GROUPS = {
  PAYEE: { noun: "payee", title: "payee" },
  TAG: { noun: "tag", title: "tag" },
} as const;

/** Spending (or income) by payee or by tag over the whole range, largest first, as a table. */
export function SpendingList({ params, groupBy }: { params: ReportParams; groupBy: "PAYEE" | "TAG" }) {
  const { spendingReport: report } = useLazyLoadQuery<SpendingListQuery>(
    query,
    { from: params.from, to: params.to, groupBy, direction: params.direction },
    { fetchPolicy: "store-and-network" },
  );
  const what = params.direction === "INCOME" ? "Income" : "Spending";
  const group = GROUPS[groupBy];
  return (
    <>
      <ReportHeader title={`${what} by ${group.title}`} total={report.total} />
      {groupBy === "TAG" && (
        <p className="muted">A transaction with several tags counts under each of them, so the rows may add up to more than the total.</p>
      )}
      <MissingRates missing={report.missingExchangeRates} baseCurrency={report.total.currency} />
      {report.series.length === 0 ? (
        <p className="empty">No {what.toLowerCase()} in this range.</p>
      ) : (
        <DataTable
          caption={`${what} by ${group.noun}, largest first`}
          corner={group.title.charAt(0).toUpperCase() + group.title.slice(1)}
          columns={["Transactions", "Amount", "Share"]}
          rows={report.series.map((series, index) => ({
            key: `${index}-${series.name}`,
            header: series.name,
            cells: [String(series.transactionCount), formatMoney(series.total), share(series.total.amount, report.total.amount)],
          }))}
        />
      )}
    </>
  );
}
