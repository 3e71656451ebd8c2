/**
 * Amounts as people type them ("12.5", "1,234.56", "12,50") read into the exact decimal string
 * the API takes ("12.5"), never through a float. Every amount typed in the app is a size: which
 * way the money moves is chosen apart (money in or out, a split's parts take their transaction's).
 */
import Big from "big.js";

const PLAIN = /^\d+(\.\d+)?$/;
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const DECIMAL_COMMA = /^\d+,\d{1,3}$/;
/** The API's bound on an amount's whole digits. */
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
 * A typed size of money in a currency: the exact decimal, or what is wrong with it in words fit
 * to show beside the field.
 */
export function readAmount(text: string, currency: string | null, { allowZero = false } = {}): AmountReading {
  let value = text.trim().replace(/\s/g, "");
  if (value === "") return { error: "Enter an amount." };
  if (GROUPED.test(value)) value = value.replace(/,/g, "");
  else if (DECIMAL_COMMA.test(value)) value = value.replace(",", ".");
  if (value.startsWith("-")) return { error: "Enter the amount without a sign." };
  if (!PLAIN.test(value)) return { error: "Enter an amount in digits, like 12.50." };
  if ((value.split(".")[0] ?? "").replace(/^0+/, "").length > MAX_INTEGER_DIGITS) return { error: "That amount is too large." };
  if (!allowZero && new Big(value).eq(0)) return { error: "Enter an amount above zero." };
  // A size that bounds amounts of any currency (a search's range) keeps the decimals typed.
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
