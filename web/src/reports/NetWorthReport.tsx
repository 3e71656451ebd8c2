import { lazy } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import type { NetWorthReportQuery } from "../__generated__/NetWorthReportQuery.graphql";
import { formatDate } from "../dates";
import { formatMoney } from "../money/format";
import { ChartOrTable, type ReportView } from "./ChartOrTable";
import type { ReportParams } from "./params";
import { periodName } from "./periods";
import { ReportHeader } from "./ReportHeader";

const NetWorthLineChart = lazy(() => import("./charts/NetWorthLineChart"));

const query = graphql`
  query NetWorthReportQuery($from: Date!, $to: Date!, $interval: ReportInterval!) {
    netWorth(from: $from, to: $to, interval: $interval) {
      date
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

/** The sum of every balance at the end of each period, as a line. */
export function NetWorthReport({ params, view }: { params: ReportParams; view: ReportView }) {
  const { netWorth } = useLazyLoadQuery<NetWorthReportQuery>(
    query,
    { from: params.from, to: params.to, interval: params.interval },
    { fetchPolicy: "store-and-network" },
  );
  const latest = netWorth.at(-1);
  const currency = latest?.amount.currency ?? "USD";
  const unconverted = latest?.unconvertedBalances ?? [];
  // Each point is its period's last day (the range's end for the last one), named by its period.
  const short = (date: string) => periodName({ label: date.slice(0, 4), start: date, end: date }, params.interval, "short");
  return (
    <>
      <ReportHeader title="Net worth over time" total={latest?.amount} label={latest ? `On ${formatDate(latest.date)}` : "Total"} />
      {unconverted.length > 0 && (
        <p className="note report-note">
          Not counted, for want of an exchange rate into {currency}: balances of {unconverted.map((money) => formatMoney(money)).join(", ")}.
        </p>
      )}
      <ChartOrTable
        view={view}
        chart={<NetWorthLineChart currency={currency} points={netWorth.map((item) => ({ label: short(item.date), amount: item.amount }))} />}
        table={{
          caption: `Net worth at the end of each ${params.interval.toLowerCase()}`,
          corner: "Date",
          columns: ["Net worth"],
          rows: netWorth.map((item) => ({ key: item.date, header: formatDate(item.date), cells: [formatMoney(item.amount)] })),
        }}
      />
    </>
  );
}
