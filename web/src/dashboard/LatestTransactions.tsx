import { graphql, useFragment } from "react-relay";
import type { LatestTransactions_query$key } from "../__generated__/LatestTransactions_query.graphql";
import { Money } from "../components/Money";
import { formatDate } from "../dates";

const fragment = graphql`
  fragment LatestTransactions_query on Query {
    latest: transactions(first: 20) {
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
            name
          }
          account {
            name
          }
        }
      }
    }
  }
`;

export function LatestTransactions({ query }: { query: LatestTransactions_query$key }) {
  const { latest } = useFragment(fragment, query);
  return (
    <section className="card card-wide area-latest" aria-labelledby="latest-heading">
      <h2 id="latest-heading">Latest transactions</h2>
      {latest.edges.length === 0 ? (
        <p className="empty">No transactions yet.</p>
      ) : (
        <ul className="transaction-list">
          {latest.edges.map(({ node }) => (
            <li key={node.id} className="transaction">
              <div>
                <p className="transaction-description">
                  {node.description}
                  {node.pending && <span className="tag tag-pending">Pending</span>}
                </p>
                <p className="muted">
                  <time dateTime={node.date}>{formatDate(node.date)}</time> · {node.category?.name ?? "Uncategorized"} ·{" "}
                  {node.account.name}
                </p>
              </div>
              <Money value={node.amount} signed />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
