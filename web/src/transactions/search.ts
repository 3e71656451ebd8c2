/**
 * A search of the transaction list as the address bar holds it (`?q=coffee&category=…&min=10`),
 * and as the API's filter language reads it (TransactionFilter). The address is the one source:
 * a search can be bookmarked, shared, and gone back to. Values the API would refuse (a date that
 * is not one, an amount with letters) are dropped when read, so a hand-edited address never
 * breaks the page.
 */
import { isAmountText } from "../money/amounts";

export type Choice = "yes" | "no";

export interface TransactionSearch {
  readonly text: string;
  readonly accountId: string | null;
  readonly categoryId: string | null;
  readonly tagId: string | null;
  readonly payeeId: string | null;
  readonly minAmount: string | null;
  readonly maxAmount: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly direction: "in" | "out" | null;
  readonly pending: Choice | null;
  readonly reviewed: Choice | null;
  readonly uncategorized: Choice | null;
}

/** The filter language as the API takes it: only the conditions given. */
export interface TransactionFilterInput {
  search?: string;
  accountId?: string;
  categoryId?: string;
  tagIds?: string[];
  payeeIds?: string[];
  minAmount?: string;
  maxAmount?: string;
  from?: string;
  to?: string;
  direction?: "MONEY_IN" | "MONEY_OUT";
  pending?: boolean;
  reviewed?: boolean;
  uncategorized?: boolean;
}

export const EMPTY_SEARCH: TransactionSearch = {
  text: "",
  accountId: null,
  categoryId: null,
  tagId: null,
  payeeId: null,
  minAmount: null,
  maxAmount: null,
  from: null,
  to: null,
  direction: null,
  pending: null,
  reviewed: null,
  uncategorized: null,
};

/** The address's name for each condition. */
const PARAM = {
  text: "q",
  accountId: "account",
  categoryId: "category",
  tagId: "tag",
  payeeId: "payee",
  minAmount: "min",
  maxAmount: "max",
  from: "from",
  to: "to",
  direction: "direction",
  pending: "pending",
  reviewed: "reviewed",
  uncategorized: "uncategorized",
} as const satisfies Record<keyof TransactionSearch, string>;

/** The API's limit on search text. */
export const MAX_SEARCH_TEXT = 200;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date the API takes (1900-01-01..2100-12-31). */
export function isDateText(value: string): boolean {
  if (!DATE.test(value) || value < "1900-01-01" || value > "2100-12-31") return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

function choice(value: string | null): Choice | null {
  return value === "yes" || value === "no" ? value : null;
}

function idParam(value: string | null): string | null {
  // Ids are opaque; one the API does not know answers NOT_FOUND in the list's error state.
  return value && value.length <= 200 ? value : null;
}

export function readSearch(params: URLSearchParams): TransactionSearch {
  const amount = (name: string) => {
    const value = params.get(name);
    return value !== null && isAmountText(value) ? value : null;
  };
  const date = (name: string) => {
    const value = params.get(name);
    return value !== null && isDateText(value) ? value : null;
  };
  const direction = params.get(PARAM.direction);
  return {
    text: (params.get(PARAM.text) ?? "").slice(0, MAX_SEARCH_TEXT),
    accountId: idParam(params.get(PARAM.accountId)),
    categoryId: idParam(params.get(PARAM.categoryId)),
    tagId: idParam(params.get(PARAM.tagId)),
    payeeId: idParam(params.get(PARAM.payeeId)),
    minAmount: amount(PARAM.minAmount),
    maxAmount: amount(PARAM.maxAmount),
    from: date(PARAM.from),
    to: date(PARAM.to),
    direction: direction === "in" || direction === "out" ? direction : null,
    pending: choice(params.get(PARAM.pending)),
    reviewed: choice(params.get(PARAM.reviewed)),
    uncategorized: choice(params.get(PARAM.uncategorized)),
  };
}

/** The address's query for a search: only what is set, in a stable order. */
export function writeSearch(search: TransactionSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(PARAM) as (keyof TransactionSearch)[]) {
    const value = search[key];
    if (value !== null && value !== "") params.set(PARAM[key], value);
  }
  return params;
}

function yes(value: Choice | null): boolean | undefined {
  return value === null ? undefined : value === "yes";
}

/** The filter the API reads; null when nothing narrows the list. */
export function toFilter(search: TransactionSearch): TransactionFilterInput | null {
  const filter: TransactionFilterInput = {};
  const text = search.text.trim();
  if (text) filter.search = text;
  if (search.accountId) filter.accountId = search.accountId;
  if (search.categoryId) filter.categoryId = search.categoryId;
  if (search.tagId) filter.tagIds = [search.tagId];
  if (search.payeeId) filter.payeeIds = [search.payeeId];
  if (search.minAmount) filter.minAmount = search.minAmount;
  if (search.maxAmount) filter.maxAmount = search.maxAmount;
  if (search.from) filter.from = search.from;
  if (search.to) filter.to = search.to;
  if (search.direction) filter.direction = search.direction === "in" ? "MONEY_IN" : "MONEY_OUT";
  const pending = yes(search.pending);
  if (pending !== undefined) filter.pending = pending;
  const reviewed = yes(search.reviewed);
  if (reviewed !== undefined) filter.reviewed = reviewed;
  const uncategorized = yes(search.uncategorized);
  if (uncategorized !== undefined) filter.uncategorized = uncategorized;
  return Object.keys(filter).length === 0 ? null : filter;
}

/** How many conditions besides the text narrow the list (for the Filters button). */
export function conditionCount(search: TransactionSearch): number {
  return (Object.keys(PARAM) as (keyof TransactionSearch)[]).filter(
    (key) => key !== "text" && search[key] !== null,
  ).length;
}
