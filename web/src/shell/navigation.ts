/** Every page of the app, in the navigation's order. `ready: false` pages say they are coming. */
export interface NavigationItem {
  readonly path: string;
  readonly label: string;
  readonly ready: boolean;
}

export const NAVIGATION: readonly NavigationItem[] = [
  { path: "/", label: "Dashboard", ready: true },
  { path: "/transactions", label: "Transactions", ready: true },
  { path: "/budgets", label: "Budgets", ready: true },
  { path: "/goals", label: "Goals", ready: true },
  { path: "/accounts", label: "Accounts & banks", ready: true },
  { path: "/reports", label: "Reports", ready: true },
  { path: "/alert-rules", label: "Alert rules", ready: true },
  { path: "/notifications", label: "Notifications", ready: true },
  { path: "/settings", label: "Settings", ready: true },
];
