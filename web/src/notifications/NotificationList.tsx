import { useEffect, useRef } from "react";
import { graphql, usePaginationFragment } from "react-relay";
import type { NotificationList_query$key } from "../__generated__/NotificationList_query.graphql";
import type { NotificationListPaginationQuery } from "../__generated__/NotificationListPaginationQuery.graphql";
import { Loading } from "../components/Loading";
import { useMarkRead } from "./markRead";
import { NotificationItem } from "./NotificationItem";

export const PAGE_SIZE = 20;

const fragment = graphql`
  fragment NotificationList_query on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" })
  @refetchable(queryName: "NotificationListPaginationQuery") {
    notifications(first: $count, after: $cursor) @connection(key: "NotificationList_notifications") {
      edges {
        node {
          id
          readAt
          ...NotificationItem_notification
        }
      }
    }
  }
`;

/**
 * Every notification, newest first, read page by page as the list scrolls (a button does the
 * same for keyboards and for browsers without IntersectionObserver). New ones arrive live at the top.
 */
export function NotificationList({ query, timeZone }: { query: NotificationList_query$key; timeZone: string }) {
  const { data, loadNext, hasNext, isLoadingNext } = usePaginationFragment<
    NotificationListPaginationQuery,
    NotificationList_query$key
  >(fragment, query);
  const { markRead, error } = useMarkRead();
  const sentinel = useRef<HTMLDivElement>(null);
  const edges = data.notifications.edges;
  const unreadIds = edges.filter(({ node }) => node.readAt == null).map(({ node }) => node.id);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNext || typeof IntersectionObserver === "undefined") return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isLoadingNext) loadNext(PAGE_SIZE);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNext, isLoadingNext, loadNext]);

  return (
    <>
      <div className="toolbar">
        <p className="muted">{unreadIds.length === 0 ? "Nothing unread." : `${unreadIds.length} unread below.`}</p>
        <button type="button" className="button" disabled={unreadIds.length === 0} onClick={() => markRead(unreadIds)}>
          Mark all read
        </button>
      </div>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
      {edges.length === 0 ? (
        <p className="empty">No notifications yet. Alerts you set up show here, live.</p>
      ) : (
        <ul className="notification-list" aria-label="Notifications">
          {edges.map(({ node }) => (
            <NotificationItem key={node.id} notification={node} timeZone={timeZone} onMarkRead={(id) => markRead([id])} />
          ))}
        </ul>
      )}
      <div ref={sentinel} className="sentinel" />
      {isLoadingNext && <Loading label="Loading older notifications…" />}
      {hasNext && !isLoadingNext && (
        <button type="button" className="button" onClick={() => loadNext(PAGE_SIZE)}>
          Load older notifications
        </button>
      )}
    </>
  );
}
