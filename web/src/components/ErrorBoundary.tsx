import { Component, type ErrorInfo, type ReactNode } from "react";
import { ApiError } from "../api/errors";

interface Props {
  readonly children: ReactNode;
  /** What failed, for the message ("the dashboard"). */
  readonly what?: string;
}

interface State {
  readonly error: Error | null;
  readonly attempt: number;
}

/** Shows what went wrong where it went wrong, with a way to try again (a new fetch). */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("tally: a view failed", error, info.componentStack);
  }

  private retry = () => this.setState(({ attempt }) => ({ error: null, attempt: attempt + 1 }));

  render() {
    const { error, attempt } = this.state;
    if (error) {
      return (
        <div className="error-panel" role="alert">
          <h2>{`Couldn't load ${this.props.what ?? "this"}`}</h2>
          <p>{describe(error)}</p>
          <button type="button" className="button" onClick={this.retry}>
            Try again
          </button>
        </div>
      );
    }
    return <RetryScope key={attempt}>{this.props.children}</RetryScope>;
  }
}

function RetryScope({ children }: { children: ReactNode }) {
  return <>{children}</>;
}

function describe(error: Error): string {
  if (error instanceof ApiError) {
    if (error.hasCode("INTERNAL")) return "Tally had a problem on its side. It has been logged; try again in a moment.";
    if (error.hasCode("RATE_LIMITED")) return "Too many requests just now. Wait a moment, then try again.";
  }
  return error.message;
}
