/** Calendar dates as the API speaks them ("2026-11-26"), in the user's time zone. */

/** Today's date where the user lives. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA writes ISO dates (YYYY-MM-DD).
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The first day of the month `monthsBack` months before the one `date` falls in. */
export function monthStart(date: string, monthsBack = 0): string {
  const [year, month] = date.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) - monthsBack;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-01`;
}

/** A calendar date for people: "Nov 26, 2026" (the date alone, no time zone shift). */
export function formatDate(date: string, locale?: string, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** "November 2026" */
export function formatMonth(month: string, locale?: string): string {
  return formatDate(`${month}-01`, locale, { month: "long", year: "numeric" });
}

/** A moment for people, in the user's time zone: "Nov 26, 2026, 4:05 PM". */
export function formatDateTime(isoDateTime: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", ...(timeZone ? { timeZone } : {}) }).format(
    new Date(isoDateTime),
  );
}
