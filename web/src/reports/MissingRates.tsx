import Big from "big.js";
import { formatDate } from "../dates";
import { formatMoney, type MoneyValue } from "../money/format";

export interface MissingRate {
  readonly currency: string;
  readonly transactionCount: number;
  readonly amount: MoneyValue;
  readonly firstDate: string;
  readonly lastDate: string;
}

/** What a report leaves out for want of an exchange rate, currency by currency. */
export function MissingRates({ missing, baseCurrency }: { missing: readonly MissingRate[]; baseCurrency: string }) {
  if (missing.length === 0) return null;
  return (
    <div className="note report-note">
      <p>
        Not counted, for want of an exchange rate into {baseCurrency} (add one and they count from then on):
      </p>
      <ul>
        {missing.map((item) => (
          <li key={item.currency}>
            {describe(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "€50.00 out" for a net of -50.00, "€20.00 in" for 20.00. */
function flow(money: MoneyValue): string {
  const amount = new Big(money.amount);
  return `${formatMoney({ amount: amount.abs().toFixed(), currency: money.currency })} ${amount.lt(0) ? "out" : "in"}`;
}

function describe(item: MissingRate): string {
  const count = `${item.transactionCount} ${item.transactionCount === 1 ? "transaction" : "transactions"}`;
  const when =
    item.lastDate !== item.firstDate ? `${formatDate(item.firstDate)} to ${formatDate(item.lastDate)}` : `on ${formatDate(item.firstDate)}`;
  return `${count} in ${item.currency} (${flow(item.amount)}), ${when}`;
}
