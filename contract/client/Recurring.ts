// Recurring series and upcoming bills as a Relay client uses them: a pageable connection of
// series, a series refetched by its id, the bills of the coming days, and the verdicts.
import { graphql } from "relay-runtime";

export const upcomingBills = graphql`
  query RecurringUpcomingBillsQuery($days: Int) {
    upcomingBills(days: $days) {
      date
      expectedAmount {
        amount
        currency
      }
      inBaseCurrency {
        amount
        currency
      }
      series {
        id
        ...RecurringSeries_series
      }
    }
    ...RecurringSeriesList_query
  }
`;

export const series = graphql`
  fragment RecurringSeries_series on RecurringSeries @refetchable(queryName: "RecurringSeriesRefetchQuery") {
    name
    status
    direction
    interval
    nextDate
    expectedAmount {
      amount
      currency
    }
    usualAmounts {
      smallest {
        amount
      }
      largest {
        amount
      }
    }
  }
`;

export const seriesList = graphql`
  fragment RecurringSeriesList_query on Query
  @refetchable(queryName: "RecurringSeriesListPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    status: { type: "RecurringStatus" }
  ) {
    recurringSeries(first: $count, after: $cursor, status: $status)
      @connection(key: "RecurringSeriesList_recurringSeries", filters: ["status"]) {
      totalCount
      edges {
        node {
          id
          ...RecurringSeries_series
        }
      }
    }
  }
`;

export const detect = graphql`
  mutation RecurringDetectMutation($input: DetectRecurringInput, $connections: [ID!]!) {
    detectRecurring(input: $input) {
      detectedCount
      removedSuggestionCount
      newSuggestions @appendNode(connections: $connections, edgeTypeName: "RecurringSeriesEdge") {
        id
        ...RecurringSeries_series
      }
    }
  }
`;

export const confirm = graphql`
  mutation RecurringConfirmMutation($input: ConfirmRecurringInput!) {
    confirmRecurring(input: $input) {
      recurringSeries {
        id
        status
      }
    }
  }
`;

export const update = graphql`
  mutation RecurringUpdateMutation($input: UpdateRecurringInput!) {
    updateRecurring(input: $input) {
      recurringSeries {
        id
        ...RecurringSeries_series
      }
    }
  }
`;

export const remove = graphql`
  mutation RecurringDeleteMutation($input: DeleteRecurringInput!, $connections: [ID!]!) {
    deleteRecurring(input: $input) {
      deletedRecurringSeriesId @deleteEdge(connections: $connections)
    }
  }
`;
