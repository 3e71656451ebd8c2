import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "../../money/format";
import { moneyTick } from "./axis";

export interface StackedBars {
  readonly currency: string;
  /** One per period, in order: its axis label, and each series' exact amount by series key. */
  readonly periods: readonly { readonly label: string; readonly amounts: Readonly<Record<string, string>> }[];
  readonly series: readonly { readonly key: string; readonly name: string; readonly colour: string }[];
}

/**
 * Periods side by side, each a stack of its series. Exact amounts become numbers only to be
 * drawn; the tooltip formats the exact strings. Hidden from screen readers: the page gives them
 * the same figures as a table.
 */
export default function StackedBarChart({ data }: { data: StackedBars }) {
  const rows = data.periods.map((period, index) => {
    const row: Record<string, string | number> = { label: period.label, index };
    for (const { key } of data.series) row[key] = Number(period.amounts[key] ?? "0");
    return row;
  });
  return (
    <div className="chart chart-tall" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e4e8e6" />
          <XAxis dataKey="label" tickLine={false} minTickGap={8} />
          <YAxis width={72} tickLine={false} tickFormatter={moneyTick(data.currency)} />
          <Tooltip
            formatter={(_value, name, item) => {
              const key = String(item.dataKey);
              const amount = data.periods[Number(item.payload.index)]?.amounts[key] ?? "0";
              return [formatMoney({ amount, currency: data.currency }), name];
            }}
          />
          {/* In the series' order (largest first), not by name. */}
          <Legend itemSorter={null} />
          {data.series.map((series) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={series.name}
              stackId="periods"
              fill={series.colour}
              stroke="#fff"
              strokeWidth={1}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
