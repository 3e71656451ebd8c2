import Big from "big.js";
import type { ReactNode } from "react";
import { Money } from "../components/Money";
import type { MoneyValue } from "../money/format";
import { accountDetail } from "./labels";

export interface ListedAccount {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly mask?: string | null;
  readonly institutionLabel?: string | null;
  readonly balance: MoneyValue;
}

/** Accounts with their balances, and what can be done with each (`actions`). */
export function AccountList<Row extends ListedAccount>({
  accounts,
  label,
  actions,
}: {
  accounts: readonly Row[];
  label: string;
  actions?: (account: Row) => ReactNode;
}) {
  const total = totalOf(accounts.map((account) => account.balance));
  return (
    <>
      <ul className="account-list" aria-label={label}>
        {accounts.map((account) => (
          <li key={account.id} className="account-row">
            <div className="account-what">
              <p className="account-name">{account.name}</p>
              <p className="account-detail">
                {accountDetail(account.type, account.mask)}
                {account.institutionLabel ? ` · ${account.institutionLabel}` : ""}
              </p>
            </div>
            <p className="account-balance">
              <span className="visually-hidden">Balance: </span>
              <Money value={account.balance} />
            </p>
            {actions && <div className="account-actions">{actions(account)}</div>}
          </li>
        ))}
      </ul>
      {total && accounts.length > 1 && (
        <p className="account-total">
          Total <Money value={total} />
        </p>
      )}
    </>
  );
}

/** The sum of balances in one currency (exact, with big.js); null when currencies differ. */
export function totalOf(balances: readonly MoneyValue[]): MoneyValue | null {
  const first = balances[0];
  if (!first || balances.some((balance) => balance.currency !== first.currency)) return null;
  const sum = balances.reduce((acc, balance) => acc.plus(balance.amount), new Big(0));
  return { amount: sum.toFixed(), currency: first.currency };
}
