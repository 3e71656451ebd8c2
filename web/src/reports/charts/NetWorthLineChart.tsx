import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney, type MoneyValue } from "../../money/format";
import { moneyTick } from "./axis";
import { SERIES_COLOURS } from "./palette";

export interface NetWorthPointShape {
  readonly label: string;
  readonly amount: MoneyValue;
}

/** Net worth at the end of each period, as a line. */
export default function NetWorthLineChart({ points, currency }: { points: readonly NetWorthPointShape[]; currency: string }) {
  const rows = points.map((point, index) => ({ label: point.label, index, value: Number(point.amount.amount) }));
  return (
    <div className="chart chart-tall" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e4e8e6" />
          <XAxis dataKey="label" tickLine={false} minTickGap={8} />
          <YAxis width={72} tickLine={false} tickFormatter={moneyTick(currency)} domain={["auto", "auto"]} />
          <Tooltip
            formatter={(_value, _name, item) => {
              const amount = points[Number(item.payload.index)]?.amount;
              return [amount ? formatMoney(amount) : "", "Net worth"];
            }}
          />
          <Line
            dataKey="value"
            name="Net worth"
            type="linear"
            stroke={SERIES_COLOURS[0]}
            strokeWidth={2}
            dot={points.length <= 60 ? { r: 3 } : false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
