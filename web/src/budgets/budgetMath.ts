/** A budget line's figures for people: what there was to spend, how much of it went, what is over. */
import Big from "big.js";
import { formatMoney, type MoneyValue, shareOf } from "../money/format";

export interface LineFigures {
  readonly budgeted: MoneyValue;
  readonly carried: MoneyValue;
  readonly spent: MoneyValue;
  readonly available: MoneyValue;
}

/** Budgeted plus carried: what the month had to spend in the category. */
export function toSpend(line: LineFigures): MoneyValue {
  return { amount: new Big(line.budgeted.amount).plus(line.carried.amount).toFixed(), currency: line.budgeted.currency };
}

export function isOverspent(line: LineFigures): boolean {
  return new Big(line.available.amount).lt(0);
}

/** Spent as a share of what there was to spend (above 1 when overspent). */
export function spentShare(line: LineFigures): number {
  return shareOf(line.spent.amount, toSpend(line).amount);
}

/** "$12.00" of an amount whatever its sign. */
export function sizeOf(money: MoneyValue): string {
  return formatMoney({ ...money, amount: new Big(money.amount).abs().toFixed() });
}

/** "$23.45 left" or "$12.00 overspent". */
export function leftText(line: LineFigures): string {
  return isOverspent(line) ? `${sizeOf(line.available)} overspent` : `${formatMoney(line.available)} left`;
}
