/**
 * What a report shows, as the page's address says it (?report=cash-flow&from=…&to=…&interval=…),
 * so that a report can be bookmarked, shared between tabs, and left with the Back button.
 */
import { monthStart } from "../dates";

export const REPORTS = [
  { id: "category", label: "By category" },
  { id: "payee", label: "By payee" },
  { id: "tag", label: "By tag" },
  { id: "cash-flow", label: "Cash flow" },
  { id: "net-worth", label: "Net worth" },
] as const;

export type ReportId = (typeof REPORTS)[number]["id"];
export type Interval = "DAY" | "WEEK" | "MONTH" | "YEAR";
export type Direction = "SPENDING" | "INCOME";

export const INTERVALS: readonly { value: Interval; label: string }[] = [
  { value: "DAY", label: "Day" },
  { value: "WEEK", label: "Week" },
  { value: "MONTH", label: "Month" },
  { value: "YEAR", label: "Year" },
];

export interface ReportParams {
  readonly report: ReportId;
  readonly from: string;
  readonly to: string;
  readonly interval: Interval;
  readonly direction: Direction;
}

export interface RangePreset {
  readonly id: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function lastDayOfMonth(date: string): string {
  const next = monthStart(date, -1);
  const day = new Date(`${next}T00:00:00Z`);
  day.setUTCDate(0);
  return day.toISOString().slice(0, 10);
}

/** The ranges people ask for most, ending today (where the user lives) or at a period's end. */
export function rangePresets(today: string): RangePreset[] {
  const year = today.slice(0, 4);
  const lastYear = String(Number(year) - 1).padStart(4, "0");
  const previousMonth = monthStart(today, 1);
  return [
    { id: "this-month", label: "This month", from: monthStart(today), to: today },
    { id: "last-month", label: "Last month", from: previousMonth, to: lastDayOfMonth(previousMonth) },
    { id: "last-3-months", label: "Last 3 months", from: monthStart(today, 2), to: today },
    { id: "last-12-months", label: "Last 12 months", from: monthStart(today, 11), to: today },
    { id: "this-year", label: "This year", from: `${year}-01-01`, to: today },
    { id: "last-year", label: "Last year", from: `${lastYear}-01-01`, to: `${lastYear}-12-31` },
  ];
}

export function readParams(search: URLSearchParams, today: string): ReportParams {
  const report = REPORTS.find((item) => item.id === search.get("report"))?.id ?? "category";
  const fallback = rangePresets(today).find((preset) => preset.id === "last-12-months")!;
  const from = search.get("from");
  const to = search.get("to");
  const validRange = from && to && DATE.test(from) && DATE.test(to) && from <= to;
  const interval = INTERVALS.find((item) => item.value === search.get("interval"))?.value ?? "MONTH";
  const direction: Direction = search.get("direction") === "INCOME" ? "INCOME" : "SPENDING";
  return {
    report,
    from: validRange ? from : fallback.from,
    to: validRange ? to : fallback.to,
    interval,
    direction,
  };
}

export function writeParams(params: ReportParams): URLSearchParams {
  return new URLSearchParams({
    report: params.report,
    from: params.from,
    to: params.to,
    interval: params.interval,
    direction: params.direction,
  });
}
