import { Link } from "react-router";
import type { UnreadCount_query$key } from "../__generated__/UnreadCount_query.graphql";
import { useUnreadCount } from "../notifications/UnreadCount";

export function UnreadAlertsCard({ query }: { query: UnreadCount_query$key }) {
  const unread = useUnreadCount(query);
  return (
    <section className="card card-small area-alerts" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts</h2>
      <p className="figure" data-testid="unread-count">
        {unread.label}
      </p>
      <p className="muted">{unread.count === 1 ? "unread alert" : "unread alerts"}</p>
      <Link to="/notifications">Open notifications</Link>
    </section>
  );
}
