import { render } from "@testing-library/react";
import { type ReactNode, Suspense } from "react";
import { RelayEnvironmentProvider } from "react-relay";
import { MemoryRouter } from "react-router";
import type { IEnvironment } from "relay-runtime";
import { ViewerContext, type Viewer } from "../shell/viewer";

export const VIEWER: Viewer = { id: "VXNlcjox", email: "ada@example.com", timeZone: "Europe/Paris" };

/** A page or card as the app shell would hold it: Relay, a router, the signed-in user. */
export function renderWithRelay(ui: ReactNode, environment: IEnvironment, viewer: Viewer = VIEWER) {
  return render(
    <RelayEnvironmentProvider environment={environment}>
      <MemoryRouter>
        <ViewerContext.Provider value={viewer}>
          <Suspense fallback={<p>Loading…</p>}>{ui}</Suspense>
        </ViewerContext.Provider>
      </MemoryRouter>
    </RelayEnvironmentProvider>,
  );
}
