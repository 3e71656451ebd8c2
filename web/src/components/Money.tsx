import { formatMoney, isNegative, type MoneyValue } from "../money/format";

/** An amount in the reader's locale; money out is marked, not only by colour. */
export function Money({ value, signed = false }: { value: MoneyValue; signed?: boolean }) {
  const negative = isNegative(value.amount);
  const className = signed ? (negative ? "money money-out" : "money money-in") : "money";
  return <span className={className}>{formatMoney(value)}</span>;
}
