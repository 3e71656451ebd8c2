import { graphql, useLazyLoadQuery } from "react-relay";
import type { NotificationsPageQuery } from "../__generated__/NotificationsPageQuery.graphql";
import { Page } from "../components/Page";
import { NotificationList } from "../notifications/NotificationList";
import { useViewer } from "../shell/viewer";

const query = graphql`
  query NotificationsPageQuery {
    ...NotificationList_query
  }
`;

export default function NotificationsPage() {
  const { timeZone } = useViewer();
  const data = useLazyLoadQuery<NotificationsPageQuery>(query, {}, { fetchPolicy: "store-and-network" });
  return (
    <Page title="Notifications">
      <NotificationList query={data} timeZone={timeZone} />
    </Page>
  );
}
