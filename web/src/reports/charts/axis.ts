import { userLocale } from "../../money/format";

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Axis ticks in compact money ("$2.25K"): drawn numbers, labelled in the report's currency, with
 * enough digits that a tick never reads as another ($2,250 is not "$2.3K").
 */
export function moneyTick(currency: string): (value: number) => string {
  const key = `${userLocale()}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(userLocale(), { style: "currency", currency, notation: "compact", maximumSignificantDigits: 3 });
    formatters.set(key, formatter);
  }
  return (value: number) => formatter.format(value);
}
