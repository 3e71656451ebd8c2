/**
 * Money as people read it, in their locale and the money's currency.
 *
 * The API sends amounts as exact decimal strings ("-1234.50"). They are never turned into a
 * JavaScript number: Intl.NumberFormat formats the string itself as an exact decimal
 * (ECMA-402's NumberFormat v3), and any arithmetic (a budget's share spent) goes through big.js.
 */
import Big from "big.js";

const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface MoneyValue {
  readonly amount: string;
  readonly currency: string;
}

/** The reader's locale: the browser's first preference. */
export function userLocale(): string {
  if (typeof navigator !== "undefined") {
    return navigator.languages?.[0] ?? navigator.language ?? "en-US";
  }
  return "en-US";
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${locale}|${currency}|${compact}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : {}),
    });
    formatters.set(key, cached);
  }
  return cached;
}

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

/** "-1234.5" in USD for en-US: "-$1,234.50"; in EUR for de-DE: "-1.234,50 €". */
export function formatMoney(
  money: MoneyValue,
  locale: string = userLocale(),
  options: { compact?: boolean } = {},
): string {
  if (!isDecimalString(money.amount)) {
    throw new RangeError(`not an exact decimal amount: ${JSON.stringify(money.amount)}`);
  }
  // A numeric string is formatted exactly (no float on the way); the lib types lag behind.
  const exact = money.amount as unknown as number;
  return formatter(locale, money.currency, options.compact ?? false).format(exact);
}

/** spent / limit as a display ratio (0 when nothing is spent; above 1 when overspent). */
export function shareOf(spent: string, limit: string): number {
  const part = new Big(spent);
  const whole = new Big(limit);
  if (part.lte(0)) return 0;
  if (whole.lte(0)) return Number.POSITIVE_INFINITY;
  // Only the ratio, rounded for a progress bar, becomes a number.
  return Number(part.div(whole).round(4).toString());
}

/** Whether an amount is below zero, read from its exact string. */
export function isNegative(amount: string): boolean {
  return new Big(amount).lt(0);
}
