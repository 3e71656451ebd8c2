import { graphql, useFragment } from "react-relay";
import type { NotificationItem_notification$key } from "../__generated__/NotificationItem_notification.graphql";
import { formatDateTime } from "../dates";
import { DeliveryStatuses } from "./DeliveryStatuses";

const fragment = graphql`
  fragment NotificationItem_notification on Notification {
    id
    kind
    title
    body
    createdAt
    readAt
    ...DeliveryStatuses_notification
  }
`;

const KIND_LABELS: Record<string, string> = {
  BUDGET_OVERSPENT: "Budget",
  LARGE_TRANSACTION: "Large transaction",
  LOW_BALANCE: "Low balance",
  GOAL_REACHED: "Goal",
  BANK_CONNECTION_BROKEN: "Bank connection",
  BILL_DUE: "Bill",
};

export function NotificationItem({
  notification,
  timeZone,
  onMarkRead,
}: {
  notification: NotificationItem_notification$key;
  timeZone: string;
  onMarkRead: (id: string) => void;
}) {
  const data = useFragment(fragment, notification);
  const unread = data.readAt == null;
  return (
    <li className={unread ? "notification notification-unread" : "notification"}>
      <div className="notification-text">
        <p className="notification-meta">
          <span className="tag">{KIND_LABELS[data.kind] ?? data.kind}</span>{" "}
          <time dateTime={data.createdAt}>{formatDateTime(data.createdAt, timeZone)}</time>
          {unread && <span className="visually-hidden">, unread</span>}
        </p>
        <h2 className="notification-title">{data.title}</h2>
        <p className="notification-body">{data.body}</p>
        <DeliveryStatuses notification={data} />
      </div>
      {unread ? (
        <button type="button" className="button button-small" onClick={() => onMarkRead(data.id)}>
          Mark read<span className="visually-hidden">: {data.title}</span>
        </button>
      ) : (
        <span className="notification-read">Read</span>
      )}
    </li>
  );
}
