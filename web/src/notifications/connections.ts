import { ConnectionHandler, type RecordProxy, type RecordSourceSelectorProxy } from "relay-runtime";

/** The notification lists kept in Relay's store: the centre's, and the unread ones counted. */
export const NOTIFICATION_CONNECTIONS = [
  { key: "NotificationList_notifications", filters: undefined },
  { key: "UnreadCount_unread", filters: { unreadOnly: true } },
] as const;

export function unreadConnection(store: RecordSourceSelectorProxy): RecordProxy | null | undefined {
  return ConnectionHandler.getConnection(store.getRoot(), "UnreadCount_unread", { unreadOnly: true });
}

/** Put a notification that just arrived at the top of every loaded list (once). */
export function prependNotification(store: RecordSourceSelectorProxy, notification: RecordProxy): void {
  const id = notification.getDataID();
  for (const { key, filters } of NOTIFICATION_CONNECTIONS) {
    const connection = ConnectionHandler.getConnection(store.getRoot(), key, filters);
    if (!connection) continue;
    const edges = connection.getLinkedRecords("edges") ?? [];
    if (edges.some((edge) => edge?.getLinkedRecord("node")?.getDataID() === id)) continue;
    const edge = ConnectionHandler.createEdge(store, connection, notification, "NotificationEdge");
    ConnectionHandler.insertEdgeBefore(connection, edge);
  }
}

/** Mark notifications read in the store: stamped, and out of the unread list. */
export function markReadInStore(store: RecordSourceSelectorProxy, ids: readonly string[], readAt: string): void {
  const unread = unreadConnection(store);
  for (const id of ids) {
    const record = store.get(id);
    if (record && record.getValue("readAt") == null) record.setValue(readAt, "readAt");
    if (unread) ConnectionHandler.deleteNode(unread, id);
  }
}
