/** How accounts and bank connections are named for people. */

export const ACCOUNT_TYPES = [
  { value: "CHECKING", label: "Checking" },
  { value: "SAVINGS", label: "Savings" },
  { value: "CREDIT", label: "Credit card" },
  { value: "LOAN", label: "Loan" },
  { value: "INVESTMENT", label: "Investment" },
  { value: "CASH", label: "Cash" },
] as const;

export type AccountTypeValue = (typeof ACCOUNT_TYPES)[number]["value"];

export function accountTypeLabel(type: string): string {
  return ACCOUNT_TYPES.find((option) => option.value === type)?.label ?? type.toLowerCase();
}

/** "Checking ••0000" */
export function accountDetail(type: string, mask: string | null | undefined): string {
  return mask ? `${accountTypeLabel(type)} ••${mask}` : accountTypeLabel(type);
}

export interface ConnectionState {
  readonly label: string;
  readonly tone: "ok" | "busy" | "warning" | "error";
}

/** A bank connection's health as a word and a tone (never the colour alone). */
export function connectionState(status: string, lastSyncedAt: string | null | undefined): ConnectionState {
  if (status === "LOGIN_REQUIRED") return { label: "Needs sign-in", tone: "warning" };
  if (status === "ERROR") return { label: "Connection error", tone: "error" };
  if (!lastSyncedAt) return { label: "Importing", tone: "busy" };
  return { label: "Connected", tone: "ok" };
}
