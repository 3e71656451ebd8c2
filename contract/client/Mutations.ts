// Mutations and the live subscription as a Relay client sends them: one input, one payload.
import { graphql } from "relay-runtime";

export const createTransaction = graphql`
  mutation MutationsCreateTransactionMutation($input: CreateTransactionInput!, $connections: [ID!]!) {
    createTransaction(input: $input) {
      transaction @prependNode(connections: $connections, edgeTypeName: "TransactionEdge") {
        id
        date
        description
        amount {
          amount
          currency
        }
      }
    }
  }
`;

export const deleteTransaction = graphql`
  mutation MutationsDeleteTransactionMutation($input: DeleteTransactionInput!, $connections: [ID!]!) {
    deleteTransaction(input: $input) {
      deletedTransactionId @deleteEdge(connections: $connections)
    }
  }
`;

export const setBudget = graphql`
  mutation MutationsSetBudgetMutation($input: SetBudgetInput!) {
    setBudget(input: $input) {
      budget {
        id
        amount {
          amount
        }
        remaining {
          amount
        }
      }
    }
  }
`;

export const markRead = graphql`
  mutation MutationsMarkReadMutation($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      markedCount
    }
  }
`;

export const live = graphql`
  subscription MutationsNotificationsSubscription {
    notifications {
      id
      kind
      title
      body
    }
  }
`;

export const deleteMyAccount = graphql`
  mutation MutationsDeleteMyAccountMutation($input: DeleteMyAccountInput!) {
    deleteMyAccount(input: $input) {
      deletedUserId
      bankConnectionsRevoked
      bankConnectionsAwaitingRevocation
    }
  }
`;
