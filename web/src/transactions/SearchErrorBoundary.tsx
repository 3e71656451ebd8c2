import { Component, type ReactNode } from "react";
import { Link } from "react-router";
import { ApiError } from "../api/errors";
import { Page } from "../components/Page";

interface Props {
  readonly children: ReactNode;
  /** The search in the address: another one is another try. */
  readonly search: string;
}

interface State {
  readonly error: Error | null;
  readonly search: string;
}

/**
 * A search naming something that is gone (a deleted tag or account in a bookmarked address) is
 * answered NOT_FOUND: say so, with a way out. Any other failure goes on to the page's boundary.
 */
export class SearchErrorBoundary extends Component<Props, State> {
  state: State = { error: null, search: this.props.search };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.search === state.search ? null : { error: null, search: props.search };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (!(this.props.search !== "" && error instanceof ApiError && error.hasCode("NOT_FOUND"))) throw error;
    return (
      <Page title="Transactions">
        <div className="error-panel" role="alert">
          <h2>This search cannot be run</h2>
          <p>It names an account, category, tag or payee that is no longer there.</p>
          <Link className="button" to="/transactions">
            Clear the search
          </Link>
        </div>
      </Page>
    );
  }
}
