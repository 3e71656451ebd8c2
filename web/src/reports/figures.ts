/** Exact sums and shares of report figures: big.js on the API's decimal strings, never floats. */
import Big from "big.js";

export function sum(amounts: readonly string[]): string {
  return amounts.reduce((total, amount) => total.plus(amount), new Big(0)).toFixed();
}

/** "42.5%": a part of a whole, to one decimal, for reading only. */
export function share(part: string, whole: string): string {
  const total = new Big(whole);
  if (total.eq(0)) return "–";
  return `${new Big(part).div(total).times(100).round(1).toFixed(1)}%`;
}
