import { useMemo, useState } from "react";
import { graphql, useSubscription } from "react-relay";
import type { GraphQLSubscriptionConfig } from "relay-runtime";
import type { liveNotificationsSubscription } from "../__generated__/liveNotificationsSubscription.graphql";
import { prependNotification } from "./connections";

const subscription = graphql`
  subscription liveNotificationsSubscription {
    notifications {
      id
      title
      ...NotificationItem_notification
    }
  }
`;

/**
 * Follows the user's new notifications live (graphql-transport-ws) while signed in: each one
 * joins the loaded lists and the unread count, and is announced to screen readers.
 * Returns the latest announcement.
 */
export function useLiveNotifications(): string {
  const [announcement, setAnnouncement] = useState("");
  const config = useMemo<GraphQLSubscriptionConfig<liveNotificationsSubscription>>(
    () => ({
      subscription,
      variables: {},
      updater: (store) => {
        const notification = store.getRootField("notifications");
        if (notification) prependNotification(store, notification);
      },
      onNext: (response) => {
        if (response) setAnnouncement(`New alert: ${response.notifications.title}`);
      },
      onError: (error) => console.warn("tally: live notifications stopped", error),
    }),
    [],
  );
  useSubscription(config);
  return announcement;
}
