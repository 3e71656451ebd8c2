import { graphql, useFragment } from "react-relay";
import type { UnreadCount_query$key } from "../__generated__/UnreadCount_query.graphql";

/** Up to this many unread notifications are counted; past it the count reads "100+". */
export const UNREAD_COUNTED = 100;

export const unreadCountFragment = graphql`
  fragment UnreadCount_query on Query {
    unread: notifications(unreadOnly: true, first: 100)
      @connection(key: "UnreadCount_unread", filters: ["unreadOnly"]) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

export interface UnreadCountValue {
  readonly count: number;
  readonly label: string;
}

/** How many notifications are unread, kept current by the live subscription and mark-read. */
export function useUnreadCount(query: UnreadCount_query$key): UnreadCountValue {
  const data = useFragment(unreadCountFragment, query);
  const count = data.unread.edges.length;
  const more = data.unread.pageInfo?.hasNextPage ?? false;
  return { count, label: more ? `${UNREAD_COUNTED}+` : String(count) };
}
