/** Every page of the app, in the navigation's order. `ready: false` pages say they are coming. */
export interface NavigationItem {
  readonly path: string;
  readonly label: string;
  readonly ready: boolean;
}

export const NAVIGATION: readonly NavigationItem[] = [
  { path: "/", label: "Dashboard", ready: true },
  { path: "/transactions", label: "Transactions", ready: false },
  { path: "/budgets", label: "Budgets", ready: false },
  { path: "/goals", label: "Goals", ready: false },
  { path: "/accounts", label: "Accounts & banks", ready: true },
  { path: "/reports", label: "Reports", ready: false },
  { path: "/alert-rules", label: "Alert rules", ready: false },
  { path: "/notifications", label: "Notifications", ready: true },
  { path: "/settings", label: "Settings", ready: true },
];
