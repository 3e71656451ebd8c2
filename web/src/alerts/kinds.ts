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
}

export interface AlertKindInfo {
  /** The API's name of the kind (AlertKind). */
  readonly kind: string;
  readonly label: string;
  /** What rules of this kind do, for the form. */
  readonly summary: string;
  /** Whether its rules have a money threshold (and its currency). */
  readonly threshold: boolean;
  /** Whether its rules may be narrowed to one category. */
  readonly category: boolean;
  /** Whether the app offers to create and edit rules of this kind. */
  readonly editable: boolean;
  describe(rule: RuleShape, categoryName: (id: string) => string): string;
}

export const ALERT_KINDS: readonly AlertKindInfo[] = [
  {
    kind: "BUDGET_OVERSPENT",
    label: "Budget overspent",
    summary: "Once a month, when a category spends more than its budget.",
    threshold: false,
    category: true,
    editable: true,
    describe: (rule, categoryName) =>
      rule.categoryId ? `When the ${categoryName(rule.categoryId)} budget is overspent in a month.` : "When any budget is overspent in a month.",
  },
  {
    kind: "LARGE_TRANSACTION",
    label: "Large transaction",
    summary: "For each transaction taking at least this much out of an account.",
    threshold: true,
    category: true,
    editable: true,
    describe: (rule, categoryName) => {
      const amount = rule.threshold ? formatMoney(rule.threshold) : "a threshold";
      const where = rule.categoryId ? ` in ${categoryName(rule.categoryId)}` : "";
      return `When money out${where} reaches ${amount}.`;
    },
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
