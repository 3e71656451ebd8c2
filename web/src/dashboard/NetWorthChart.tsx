import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMonth } from "../dates";
import { formatMoney } from "../money/format";

interface Point {
  readonly month: string;
  readonly amount: { readonly amount: string; readonly currency: string };
}

/**
 * The net worth line. A chart needs numbers to place points: the exact amounts become numbers
 * here only for the drawing (never for sums), and labels are formatted from the exact strings.
 * Screen readers get the figures as a table beside it, so the drawing itself is hidden from them.
 */
export default function NetWorthChart({ points }: { points: readonly Point[] }) {
  const currency = points[0]?.amount.currency ?? "USD";
  const data = points.map((point) => ({
    month: point.month,
    value: Number(point.amount.amount),
    label: formatMoney(point.amount),
  }));
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={180}>
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
          <defs>
            <linearGradient id="net-worth-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="var(--accent)" stopOpacity={0.35} />
              <stop offset="100%" stopColor="var(--accent)" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <XAxis dataKey="month" tickFormatter={(month: string) => formatMonth(month).slice(0, 3)} tickLine={false} />
          <YAxis
            width={64}
            tickLine={false}
            tickFormatter={(value: number) => formatMoney({ amount: value.toFixed(0), currency }, undefined, { compact: true })}
          />
          <Tooltip
            formatter={(_value, _name, item) => [(item.payload as { label: string }).label, "Net worth"]}
            labelFormatter={(month) => formatMonth(String(month))}
          />
          <Area isAnimationActive={false} type="linear" dataKey="value" stroke="var(--accent)" strokeWidth={2} fill="url(#net-worth-fill)" />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
