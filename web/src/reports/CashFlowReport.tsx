import Big from "big.js";
import { lazy } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import type { CashFlowReportQuery } from "../__generated__/CashFlowReportQuery.graphql";
import { formatMoney, type MoneyValue } from "../money/format";
import { ChartOrTable, type ReportView } from "./ChartOrTable";
import { sum } from "./figures";
import { type MissingRate, MissingRates } from "./MissingRates";
import type { ReportParams } from "./params";
import { periodName } from "./periods";
import { ReportHeader } from "./ReportHeader";

const CashFlowChart = lazy(() => import("./charts/CashFlowChart"));

const query = graphql`
  query CashFlowReportQuery($from: Date!, $to: Date!) {
    cashFlow(from: $from, to: $to) {
      month
      income {
        amount
        currency
      }
      expenses {
        amount
        currency
      }
      net {
        amount
        currency
      }
      missingRates {
        currency
        transactionCount
        firstDate
        lastDate
        amount {
          amount
          currency
        }
      }
    }
  }
`;

/** The months' left-out transactions, currency by currency, over the whole range. */
function missingOverRange(months: readonly { readonly missingRates: readonly MissingRate[] }[]): MissingRate[] {
  const byCurrency = new Map<string, MissingRate>();
  for (const item of months.flatMap((month) => month.missingRates)) {
    const seen = byCurrency.get(item.currency);
    byCurrency.set(
      item.currency,
      seen
        ? {
            currency: item.currency,
            transactionCount: seen.transactionCount + item.transactionCount,
            amount: { amount: new Big(seen.amount.amount).plus(item.amount.amount).toFixed(), currency: item.amount.currency },
            firstDate: seen.firstDate < item.firstDate ? seen.firstDate : item.firstDate,
            lastDate: seen.lastDate > item.lastDate ? seen.lastDate : item.lastDate,
          }
        : item,
    );
  }
  return [...byCurrency.values()];
}

/** Money in and out, month by month, and what was left: bars with the net as a line. */
export function CashFlowReport({ params, view }: { params: ReportParams; view: ReportView }) {
  const { cashFlow } = useLazyLoadQuery<CashFlowReportQuery>(query, { from: params.from, to: params.to }, { fetchPolicy: "store-and-network" });
  const currency = cashFlow[0]?.net.currency ?? "USD";
  const total = (pick: (month: (typeof cashFlow)[number]) => MoneyValue): MoneyValue => ({
    amount: sum(cashFlow.map((month) => pick(month).amount)),
    currency,
  });
  const income = total((month) => month.income);
  const expenses = total((month) => month.expenses);
  const net = total((month) => month.net);
  const monthPeriod = (month: string) => ({ label: month, start: `${month}-01`, end: `${month}-01` });
  return (
    <>
      <ReportHeader title="Cash flow by month" total={net} label="Net" />
      <MissingRates missing={missingOverRange(cashFlow)} baseCurrency={currency} />
      <ChartOrTable
        view={view}
        chart={
          <CashFlowChart
            currency={currency}
            months={cashFlow.map((month) => ({
              label: periodName(monthPeriod(month.month), "MONTH", "short"),
              income: month.income,
              expenses: month.expenses,
              net: month.net,
            }))}
          />
        }
        table={{
          caption: "Cash flow by month",
          corner: "Month",
          columns: ["Income", "Expenses", "Net"],
          rows: cashFlow.map((month) => ({
            key: month.month,
            header: periodName(monthPeriod(month.month), "MONTH"),
            cells: [formatMoney(month.income), formatMoney(month.expenses), formatMoney(month.net)],
          })),
          foot: { key: "total", header: "Total", cells: [formatMoney(income), formatMoney(expenses), formatMoney(net)] },
        }}
      />
    </>
  );
}
