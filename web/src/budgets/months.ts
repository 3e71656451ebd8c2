/** Months as the API speaks them ("2026-11"), moved forwards and back. */
import { todayIn } from "../dates";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The months the API budgets. */
export const FIRST_MONTH = "1900-01";
export const LAST_MONTH = "2100-12";

export function isMonthText(value: string): boolean {
  return MONTH.test(value) && value >= FIRST_MONTH && value <= LAST_MONTH;
}

/** The month `count` months after `month` (before it when negative). */
export function addMonths(month: string, count: number): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (number - 1) + count;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The user's month now, in their time zone. */
export function currentMonth(timeZone: string, now: Date = new Date()): string {
  return todayIn(timeZone, now).slice(0, 7);
}

/** The month's first and last days ("2026-02" → 2026-02-01, 2026-02-28). */
export function monthRange(month: string): { from: string; to: string } {
  const [year, number] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}
