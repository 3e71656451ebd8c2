/** A report period's label for people, from what the API says of it (its label, first and last day). */
import { formatDate } from "../dates";
import type { Interval } from "./params";

export interface PeriodShape {
  readonly label: string;
  readonly start: string;
  readonly end: string;
}

/** "Nov 2026" on an axis; "November 2026" in a table. */
export function periodName(period: PeriodShape, interval: Interval, length: "short" | "long" = "long"): string {
  const short = length === "short";
  switch (interval) {
    case "DAY":
      return formatDate(period.start, undefined, short ? { month: "short", day: "numeric" } : { dateStyle: "medium" });
    case "WEEK": {
      const start = formatDate(period.start, undefined, short ? { month: "short", day: "numeric" } : { dateStyle: "medium" });
      return short ? start : `Week of ${start}`;
    }
    case "MONTH":
      return formatDate(period.start, undefined, { month: short ? "short" : "long", year: "numeric" });
    case "YEAR":
      return period.label;
  }
}
