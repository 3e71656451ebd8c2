import { lazy } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import type { SpendingByCategoryQuery } from "../__generated__/SpendingByCategoryQuery.graphql";
import { formatMoney } from "../money/format";
import { ChartOrTable, type ReportView } from "./ChartOrTable";
import { DataTable } from "./DataTable";
import { share, sum } from "./figures";
import { MissingRates } from "./MissingRates";
import type { ReportParams } from "./params";
import { periodName } from "./periods";
import { OTHER_COLOUR, SERIES_COLOURS } from "./charts/palette";
import { ReportHeader } from "./ReportHeader";

const StackedBarChart = lazy(() => import("./charts/StackedBarChart"));

const query = graphql`
  query SpendingByCategoryQuery($from: Date!, $to: Date!, $interval: ReportInterval!, $direction: ReportDirection!) {
    spendingReport(from: $from, to: $to, groupBy: CATEGORY, interval: $interval, direction: $direction) {
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
      periods {
        label
        start
        end
        total {
          amount
          currency
        }
      }
      series {
        name
        amounts
        transactionCount
        total {
          amount
          currency
        }
      }
    }
  }
`;

/** The chart draws this many categories, the largest; the rest are one "Other" stack. */
export const CHART_SERIES = SERIES_COLOURS.length;

/** Spending (or income) by category, period by period: a stacked bar per period. */
export function SpendingByCategory({ params, view }: { params: ReportParams; view: ReportView }) {
  const { spendingReport: report } = useLazyLoadQuery<SpendingByCategoryQuery>(
    query,
    { from: params.from, to: params.to, interval: params.interval, direction: params.direction },
    { fetchPolicy: "store-and-network" },
  );
  const currency = report.total.currency;
  const money = (amount: string) => formatMoney({ amount, currency });
  const what = params.direction === "INCOME" ? "Income" : "Spending";
  const header = <ReportHeader title={`${what} by category`} total={report.total} />;
  const missing = <MissingRates missing={report.missingExchangeRates} baseCurrency={currency} />;
  if (report.series.length === 0) {
    return (
      <>
        {header}
        <p className="empty">No {what.toLowerCase()} in this range.</p>
        {missing}
      </>
    );
  }

  const shown = report.series.slice(0, CHART_SERIES);
  const rest = report.series.slice(CHART_SERIES);
  const drawn = shown.map((series, index) => ({
    key: `s${index}`,
    name: series.name,
    colour: SERIES_COLOURS[index] ?? OTHER_COLOUR,
    amounts: series.amounts,
  }));
  if (rest.length > 0) {
    drawn.push({
      key: "other",
      name: `Other (${rest.length})`,
      colour: OTHER_COLOUR,
      amounts: report.periods.map((_, index) => sum(rest.map((series) => series.amounts[index] ?? "0"))),
    });
  }
  const periods = report.periods.map((period, index) => ({
    label: periodName(period, params.interval, "short"),
    amounts: Object.fromEntries(drawn.map((series) => [series.key, series.amounts[index] ?? "0"])),
  }));

  return (
    <>
      {header}
      {missing}
      <ChartOrTable
        view={view}
        chart={<StackedBarChart data={{ currency, periods, series: drawn }} />}
        table={{
          caption: `${what} by category, by ${params.interval.toLowerCase()}`,
          corner: "Period",
          columns: [...drawn.map((series) => series.name), "Total"],
          rows: report.periods.map((period, index) => ({
            key: period.label,
            header: periodName(period, params.interval),
            cells: [...drawn.map((series) => money(series.amounts[index] ?? "0")), formatMoney(period.total)],
          })),
          foot: {
            key: "total",
            header: "Total",
            cells: [...drawn.map((series) => money(sum(series.amounts))), formatMoney(report.total)],
          },
        }}
      />
      <DataTable
        caption={`Every category over the range`}
        corner="Category"
        columns={["Transactions", "Amount", "Share"]}
        rows={report.series.map((series, index) => ({
          key: `${index}-${series.name}`,
          header: series.name,
          cells: [String(series.transactionCount), formatMoney(series.total), share(series.total.amount, report.total.amount)],
        }))}
      />
    </>
  );
}
