/**
 * What the app knows of each kind of alert rule: its name, what it watches in words, and the
 * parameters its form asks for. A kind the API adds later slots in as one more entry here; until
 * then a rule of an unknown kind is listed (and can be switched or deleted) but not edited.
 */
import { formatMoney, type MoneyValue } from "../money/format";

export interface RuleShape {
  readonly kind: string;
  readonly threshold: MoneyValue | null | undefined;
  readonly categoryId: string | null | undefined;
  readonly accountId?: string | null | undefined;
  readonly tagId?: string | null | undefined;
  readonly percents?: readonly number[] | null | undefined;
  readonly daysAhead?: number | null | undefined;
  readonly factor?: string | null | undefined;
  readonly trailingMonths?: number | null | undefined;
  readonly channels?: readonly string[] | null | undefined;
}

/** Names of what a rule may point at, for its description. */
export interface Names {
  category(id: string): string;
  account(id: string): string;
  tag(id: string): string;
}

export interface AlertKindInfo {
  /** The API's name of the kind (AlertKind). */
  readonly kind: string;
  readonly label: string;
  /** What rules of this kind do, for the form. */
  readonly summary: string;
  /** Whether its rules have a money threshold (and its currency), and what it means. */
  readonly threshold: boolean;
  readonly thresholdHint?: string;
  /** Whether its rules may be narrowed to one category, account or tag. */
  readonly category: boolean;
  readonly account?: boolean;
  readonly tag?: boolean;
  /** The percents it alerts at by default, when it takes percents. */
  readonly percents?: readonly number[];
  readonly percentsHint?: string;
  /** BILL_DUE: days ahead by default. */
  readonly daysAhead?: number;
  /** UNUSUAL_SPENDING: the factor and trailing months by default. */
  readonly factor?: string;
  readonly trailingMonths?: number;
  /** Whether the app offers to create and edit rules of this kind. */
  readonly editable: boolean;
  describe(rule: RuleShape, names: Names): string;
}

/** Where notifications may go (AlertChannel), in the API's order, and what each is called. */
export const CHANNELS: readonly { readonly channel: string; readonly label: string }[] = [
  { channel: "IN_APP", label: "In the app" },
  { channel: "EMAIL", label: "Email" },
  { channel: "PUSH", label: "Push" },
  { channel: "WEBHOOK", label: "Webhook" },
];
export const DEFAULT_CHANNELS: readonly string[] = ["IN_APP", "EMAIL"];

function list(values: readonly number[] | null | undefined, fallback: readonly number[]): string {
  const shown = (values ?? fallback).map((value) => `${value}%`);
  return shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

function onAccount(rule: RuleShape, names: Names): string {
  return rule.accountId ? ` on ${names.account(rule.accountId)}` : "";
}

export const ALERT_KINDS: readonly AlertKindInfo[] = [
  {
    kind: "BUDGET_OVERSPENT",
    label: "Budget overspent",
    summary: "Once a month, when a category spends more than its budget.",
    threshold: false,
    category: true,
    editable: true,
    describe: (rule, names) =>
      rule.categoryId ? `When the ${names.category(rule.categoryId)} budget is overspent in a month.` : "When any budget is overspent in a month.",
  },
  {
    kind: "BUDGET_THRESHOLD",
    label: "Budget threshold",
    summary: "When a category's month (or, for every category, the whole month's budgets) reaches a share of its budget.",
    threshold: false,
    category: true,
    percents: [80, 100],
    percentsHint: "Percents of the budget, separated by commas (e.g. 80, 100).",
    editable: true,
    describe: (rule, names) => {
      const what = rule.categoryId ? `the ${names.category(rule.categoryId)} budget` : "the month's budgets together";
      return `When ${list(rule.percents, [80, 100])} of ${what} is spent.`;
    },
  },
  {
    kind: "LARGE_TRANSACTION",
    label: "Large transaction",
    summary: "For each transaction taking at least this much out of an account (other currencies at their converted amount).",
    threshold: true,
    thresholdHint: "Money out of this much or more.",
    category: true,
    account: true,
    tag: true,
    editable: true,
    describe: (rule, names) => {
      const amount = rule.threshold ? formatMoney(rule.threshold) : "a threshold";
      const where = rule.categoryId ? ` in ${names.category(rule.categoryId)}` : "";
      const tagged = rule.tagId ? ` tagged ${names.tag(rule.tagId)}` : "";
      return `When money out${where}${onAccount(rule, names)}${tagged} reaches ${amount}.`;
    },
  },
  {
    kind: "LOW_BALANCE",
    label: "Low balance",
    summary: "When an account's balance falls below an amount (once a month while it stays low).",
    threshold: true,
    thresholdHint: "Alert below this balance (in the account's currency).",
    category: false,
    account: true,
    editable: true,
    describe: (rule, names) => {
      const amount = rule.threshold ? formatMoney(rule.threshold) : "an amount";
      const which = rule.accountId ? names.account(rule.accountId) : "any account";
      return `When ${which} falls below ${amount}.`;
    },
  },
  {
    kind: "GOAL_MILESTONE",
    label: "Goal milestone",
    summary: "When a goal reaches a share of its target.",
    threshold: false,
    category: false,
    percents: [25, 50, 75, 100],
    percentsHint: "Percents of the target, separated by commas.",
    editable: true,
    describe: (rule) => `When a goal reaches ${list(rule.percents, [25, 50, 75, 100])} of its target.`,
  },
  {
    kind: "GOAL_BEHIND",
    label: "Goal behind schedule",
    summary: "Once a month, when a goal with a target date is behind schedule.",
    threshold: false,
    category: false,
    editable: true,
    describe: () => "When a goal falls behind its schedule.",
  },
  {
    kind: "BILL_DUE",
    label: "Bill due",
    summary: "Before a confirmed recurring bill is due.",
    threshold: false,
    category: false,
    daysAhead: 3,
    editable: true,
    describe: (rule) => {
      const days = rule.daysAhead ?? 3;
      return days === 0 ? "On the day a bill is due." : `${days} day${days === 1 ? "" : "s"} before a bill is due.`;
    },
  },
  {
    kind: "BILL_LARGER_THAN_USUAL",
    label: "Bill larger than usual",
    summary: "When a recurring bill comes in larger than its usual range.",
    threshold: false,
    category: false,
    account: true,
    editable: true,
    describe: (rule, names) => `When a bill${onAccount(rule, names)} is larger than usual.`,
  },
  {
    kind: "UNUSUAL_SPENDING",
    label: "Unusual spending",
    summary: "When a category's month reaches a multiple of its average over the months before.",
    threshold: false,
    category: true,
    factor: "1.50",
    trailingMonths: 3,
    editable: true,
    describe: (rule, names) => {
      const what = rule.categoryId ? names.category(rule.categoryId) : "a category";
      return `When ${what} reaches ${rule.factor ?? "1.50"}× its average of the last ${rule.trailingMonths ?? 3} months.`;
    },
  },
  {
    kind: "BANK_CONNECTION_ATTENTION",
    label: "Bank connection",
    summary: "When a linked bank needs you to sign in again or to relink it.",
    threshold: false,
    category: false,
    editable: true,
    describe: () => "When a linked bank needs your attention.",
  },
  {
    kind: "NEW_MERCHANT",
    label: "New merchant",
    summary: "When you pay someone for the first time.",
    threshold: false,
    category: false,
    account: true,
    editable: true,
    describe: (rule, names) => `When you pay a new merchant${onAccount(rule, names)}.`,
  },
  {
    kind: "WEEKLY_SUMMARY",
    label: "Weekly summary",
    summary: "Every Monday: last week's money in and out, and where most of it went.",
    threshold: false,
    category: false,
    editable: true,
    describe: () => "Every Monday, a summary of last week.",
  },
];

/** The app's knowledge of a kind, or a plain stand-in for one it does not know yet. */
export function kindInfo(kind: string): AlertKindInfo {
  const known = ALERT_KINDS.find((info) => info.kind === kind);
  if (known) return known;
  const words = kind.toLowerCase().replace(/_/g, " ");
  return {
    kind,
    label: words.charAt(0).toUpperCase() + words.slice(1),
    summary: "",
    threshold: false,
    category: false,
    editable: false,
    describe: () => "A kind of alert this version of the app cannot change yet: switch it on or off, or delete it.",
  };
}

/** "80, 100" → [80, 100]; null when it is not a list of whole numbers (the API names the field). */
export function parsePercents(text: string): number[] | null {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.replace(/%$/, ""))
    .filter(Boolean);
  if (parts.length === 0 || parts.some((part) => !/^\d+$/.test(part))) return null;
  return parts.map(Number);
}
