import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney, type MoneyValue } from "../../money/format";
import { moneyTick } from "./axis";
import { EXPENSES_COLOUR, INCOME_COLOUR, NET_COLOUR } from "./palette";

export interface CashFlowMonth {
  readonly label: string;
  readonly income: MoneyValue;
  readonly expenses: MoneyValue;
  readonly net: MoneyValue;
}

const NAMES = { income: "Income", expenses: "Expenses", net: "Net" } as const;

/** Income and expenses as bars side by side, month by month, with the net as a line across. */
export default function CashFlowChart({ months, currency }: { months: readonly CashFlowMonth[]; currency: string }) {
  const rows = months.map((month, index) => ({
    label: month.label,
    index,
    income: Number(month.income.amount),
    expenses: Number(month.expenses.amount),
    net: Number(month.net.amount),
  }));
  return (
    <div className="chart chart-tall" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e4e8e6" />
          <XAxis dataKey="label" tickLine={false} minTickGap={8} />
          <YAxis width={72} tickLine={false} tickFormatter={moneyTick(currency)} />
          <Tooltip
            formatter={(_value, name, item) => {
              const key = item.dataKey as keyof typeof NAMES;
              const month = months[Number(item.payload.index)];
              return [month ? formatMoney(month[key]) : "", name];
            }}
          />
          <Legend itemSorter={null} />
          <Bar dataKey="income" name={NAMES.income} fill={INCOME_COLOUR} isAnimationActive={false} />
          <Bar dataKey="expenses" name={NAMES.expenses} fill={EXPENSES_COLOUR} isAnimationActive={false} />
          <Line
            dataKey="net"
            name={NAMES.net}
            type="linear"
            stroke={NET_COLOUR}
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
