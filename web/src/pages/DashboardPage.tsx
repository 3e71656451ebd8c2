import { graphql, useLazyLoadQuery } from "react-relay";
import type { DashboardPageQuery } from "../__generated__/DashboardPageQuery.graphql";
import { Page } from "../components/Page";
import { BudgetsCard } from "../dashboard/BudgetsCard";
import { GoalsCard } from "../dashboard/GoalsCard";
import { LatestTransactions } from "../dashboard/LatestTransactions";
import { NetWorthCard } from "../dashboard/NetWorthCard";
import { UnreadAlertsCard } from "../dashboard/UnreadAlertsCard";
import { monthStart, todayIn } from "../dates";
import { useViewer } from "../shell/viewer";

const query = graphql`
  query DashboardPageQuery($month: Month!, $from: Date!, $to: Date!) {
    ...NetWorthCard_query
    ...BudgetsCard_query
    ...GoalsCard_query
    ...LatestTransactions_query
    ...UnreadCount_query
  }
`;

/** This month at a glance, in the user's own time zone: "this month" is theirs. */
export default function DashboardPage() {
  const { timeZone } = useViewer();
  const today = todayIn(timeZone);
  const month = today.slice(0, 7);
  const data = useLazyLoadQuery<DashboardPageQuery>(
    query,
    { month, from: monthStart(today, 11), to: today },
    { fetchPolicy: "store-and-network" },
  );
  return (
    <Page title="Dashboard">
      <div className="grid dashboard">
        <NetWorthCard query={data} />
        <UnreadAlertsCard query={data} />
        <BudgetsCard query={data} month={month} />
        <GoalsCard query={data} />
        <LatestTransactions query={data} />
      </div>
    </Page>
  );
}
