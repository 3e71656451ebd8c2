/** ISO 4217 codes the browser knows, with their names in the reader's language. */
export function currencyOptions(locale?: string): { code: string; name: string }[] {
  const codes = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : ["USD", "EUR", "GBP"];
  const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: "currency" });
  return codes.map((code) => ({ code, name: names.of(code) ?? code }));
}

/** IANA time zones the browser knows, the given one included even if it does not. */
export function timeZoneOptions(current?: string): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
  const all = new Set(zones);
  all.add("UTC");
  if (current) all.add(current);
  return [...all].sort();
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
