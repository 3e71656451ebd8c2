import { graphql, useFragment } from "react-relay";
import type { DeliveryStatuses_notification$key } from "../__generated__/DeliveryStatuses_notification.graphql";
import "./deliveries.css";

const fragment = graphql`
  fragment DeliveryStatuses_notification on Notification {
    deliveries {
      channel
      status
      reason
    }
  }
`;

const CHANNEL_LABELS: Record<string, string> = {
  IN_APP: "In app",
  EMAIL: "Email",
  PUSH: "Push",
  WEBHOOK: "Webhook",
};

const STATUS_LABELS: Record<string, string> = {
  PENDING: "pending",
  SENT: "sent",
  FAILED: "failed",
};

/** How a notification went on each channel: sent, pending (and why it waits), failed (and why). */
export function DeliveryStatuses({ notification }: { notification: DeliveryStatuses_notification$key }) {
  const { deliveries } = useFragment(fragment, notification);
  // In the app is where the user reads this: only the other channels are worth a line. (A live
  // notification may arrive before its deliveries are read: nothing to show yet.)
  const elsewhere = (deliveries ?? []).filter((delivery) => delivery.channel !== "IN_APP");
  if (elsewhere.length === 0) return null;
  return (
    <p className="deliveries">
      <span className="visually-hidden">Delivery: </span>
      {elsewhere.map((delivery) => {
        const channel = CHANNEL_LABELS[delivery.channel] ?? delivery.channel;
        const status = STATUS_LABELS[delivery.status] ?? delivery.status.toLowerCase();
        return (
          <span key={delivery.channel} className={`delivery delivery-${delivery.status.toLowerCase()}`}>
            <span className="delivery-channel">{channel}</span> {status}
            {delivery.reason && <span className="delivery-reason">: {delivery.reason}</span>}
          </span>
        );
      })}
    </p>
  );
}
