/**
 * Amounts typed into the money pages, checked before they are sent: a size (which way the money
 * moves is chosen apart: money in or out, a split's parts take their transaction's), in digits,
 * with no more decimals than the currency has. The writing is read by amountForApi (input.ts),
 * so "1.234,50" in German and "1,234.50" in English are the same amount; never through a float.
 */
import Big from "big.js";
import { userLocale } from "./format";
import { amountForApi } from "./input";

const PLAIN = /^\d+(\.\d+)?$/;
/** The API's bound on an amount's whole digits (shared/money.py). */
const MAX_INTEGER_DIGITS = 13;

/** Whether the text is already an exact, non-negative decimal ("12.50"). */
export function isAmountText(value: string): boolean {
  return PLAIN.test(value);
}

/** How many decimals the currency has (2 for USD, 0 for JPY, 3 for KWD). */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export type AmountReading = { readonly amount: string } | { readonly error: string };

/**
 * A typed size of money in a currency (or, with none, a bound for any currency): the exact
 * decimal, or what is wrong with it in words fit to show beside the field.
 */
export function readAmount(
  text: string,
  currency: string | null,
  { allowZero = false, locale = userLocale() }: { allowZero?: boolean; locale?: string } = {},
): AmountReading {
  const value = amountForApi(text, locale);
  if (value === "") return { error: "Enter an amount." };
  if (value.startsWith("-")) return { error: "Enter the amount without a sign." };
  if (!PLAIN.test(value)) return { error: "Enter an amount in digits, like 12.50." };
  if ((value.split(".")[0] ?? "").replace(/^0+/, "").length > MAX_INTEGER_DIGITS) return { error: "That amount is too large." };
  if (!allowZero && new Big(value).eq(0)) return { error: "Enter an amount above zero." };
  // A bound on amounts of every currency (a search's range) keeps the decimals typed.
  if (currency === null) return { amount: new Big(value).toFixed() };
  const digits = fractionDigits(currency);
  const fraction = value.split(".")[1] ?? "";
  if (fraction.replace(/0+$/, "").length > digits) {
    return { error: digits === 0 ? `${currency} has no cents.` : `${currency} has at most ${digits} decimals.` };
  }
  return { amount: new Big(value).toFixed(digits) };
}

/** The size of an exact amount ("-12.30" → "12.30"). */
export function magnitude(amount: string): string {
  return amount.startsWith("-") ? amount.slice(1) : amount;
}
