// A client's first screen, written the way a Relay app writes it: relay-compiler must compile it
// against ../schema.graphql (tests/test_contract.py runs it). Not shipped: the web app lives in web/.
import { graphql } from "relay-runtime";

export const dashboard = graphql`
  query DashboardQuery($month: Month!) {
    me {
      id
      email
      timeZone
    }
    accounts {
      id
      ...DashboardAccount_account
    }
    budgets(month: $month) {
      id
      month
      amount {
        amount
        currency
      }
      spent {
        amount
        currency
      }
      remaining {
        amount
      }
      category {
        id
        name
      }
    }
    goals {
      id
      name
      progress
      projectedDate
    }
    ...DashboardTransactions_query
    ...DashboardNotifications_query
  }
`;

// Refetchable by itself: needs the Node interface and Query.node.
export const account = graphql`
  fragment DashboardAccount_account on Account @refetchable(queryName: "DashboardAccountRefetchQuery") {
    name
    type
    currency
    linked
    balance {
      amount
      currency
    }
  }
`;

// Infinite scroll: a connection Relay can page (edges, node, cursor, full PageInfo).
export const transactions = graphql`
  fragment DashboardTransactions_query on Query
  @refetchable(queryName: "DashboardTransactionsPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    filter: { type: "TransactionFilter" }
  ) {
    transactions(first: $count, after: $cursor, filter: $filter)
      @connection(key: "DashboardTransactions_transactions", filters: ["filter"]) {
      totalCount
      edges {
        node {
          id
          date
          description
          pending
          amount {
            amount
            currency
          }
          category {
            id
            name
          }
          account {
            id
            name
          }
        }
      }
    }
  }
`;

export const notifications = graphql`
  fragment DashboardNotifications_query on Query
  @refetchable(queryName: "DashboardNotificationsPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }) {
    notifications(first: $count, after: $cursor, unreadOnly: true)
      @connection(key: "DashboardNotifications_notifications", filters: ["unreadOnly"]) {
      edges {
        node {
          id
          kind
          title
          createdAt
          readAt
        }
      }
    }
  }
`;
