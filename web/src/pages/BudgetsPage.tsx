import { useCallback, useState, useTransition } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import { useSearchParams } from "react-router";
import type { BudgetsPageQuery } from "../__generated__/BudgetsPageQuery.graphql";
import { BudgetSummary } from "../budgets/BudgetSummary";
import { BudgetTable } from "../budgets/BudgetTable";
import { CopyBudgets } from "../budgets/CopyBudgets";
import { MonthNav } from "../budgets/MonthNav";
import { currentMonth, isMonthText } from "../budgets/months";
import { MoveMoneyForm } from "../budgets/MoveMoneyForm";
import { StyleSwitch } from "../budgets/StyleSwitch";
import { Page } from "../components/Page";
import { useViewer } from "../shell/viewer";
import "../budgets/budgets.css";

const query = graphql`
  query BudgetsPageQuery($month: Month!) {
    ledgerSettings {
      budgetStyle
    }
    budgetMonth(month: $month) {
      month
      style
      ...BudgetSummary_month
      ...BudgetTable_month
      ...MoveMoneyForm_month
    }
  }
`;

/**
 * A month of budgeting in the user's style (limits or envelope): per category what is budgeted,
 * carried, spent and left, set in place; months before and ahead; last month copied in.
 */
export default function BudgetsPage() {
  const { timeZone } = useViewer();
  const [params] = useSearchParams();
  const current = currentMonth(timeZone);
  const asked = params.get("month");
  const month = asked && isMonthText(asked) ? asked : current;
  const [fetchKey, setFetchKey] = useState(0);
  const [refreshing, startRefresh] = useTransition();
  const data = useLazyLoadQuery<BudgetsPageQuery>(query, { month }, { fetchPolicy: "store-and-network", fetchKey });
  // A budget set changes the month's totals, its carries and the months after: read it again.
  const reload = useCallback(() => startRefresh(() => setFetchKey((key) => key + 1)), []);
  const view = data.budgetMonth;

  return (
    <Page title="Budgets">
      <div className="budget-top">
        <MonthNav month={month} current={current} />
        <StyleSwitch style={data.ledgerSettings.budgetStyle} onChanged={reload} />
      </div>
      <div className={refreshing ? "budget-month budget-stale" : "budget-month"} aria-busy={refreshing}>
        <BudgetSummary month={view} />
        <CopyBudgets key={month} month={month} onChanged={reload} />
        <BudgetTable month={view} style={view.style} onChanged={reload} />
        {view.style === "ENVELOPE" && <MoveMoneyForm month={view} onChanged={reload} />}
      </div>
    </Page>
  );
}
