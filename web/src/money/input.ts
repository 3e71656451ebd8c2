import { userLocale } from "./format";

/**
 * An amount as a person types it, made into the exact decimal string the API takes. Only the
 * writing changes (spaces and grouping out, a decimal comma made a point): the number itself is
 * never parsed into a float, and anything else is sent as typed, for the API to refuse by name.
 */
export function amountForApi(typed: string, locale: string = userLocale()): string {
  const compact = typed.trim().replace(/[\s\u00a0\u202f']/g, "");
  if (decimalSeparator(locale) === ",") {
    // "1.234,50" or "12,50": points group thousands.
    if (/^-?\d{1,3}(\.\d{3})*(,\d+)?$/.test(compact) || /^-?\d+(,\d+)?$/.test(compact)) {
      return compact.replace(/\./g, "").replace(",", ".");
    }
    return compact;
  }
  // "1,234.50": commas group thousands.
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact)) return compact.replace(/,/g, "");
  // "12,50" with a point-decimal locale: a comma before one or two digits can only be a decimal.
  if (/^-?\d+,\d{1,2}$/.test(compact)) return compact.replace(",", ".");
  return compact;
}

function decimalSeparator(locale: string): string {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((item) => item.type === "decimal");
  return part?.value ?? ".";
}
