import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator, type MockEnvironment } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { AuthProvider } from "../auth/AuthContext";
import { Session } from "../auth/session";
import { graphqlHttpUrl } from "../config";
import { renderWithRelay } from "../test/render";
import SettingsPage from "./SettingsPage";

function signedIn(): Session {
  const session = new Session(
    { refreshSession: vi.fn(), logOut: vi.fn() },
    { storage: window.localStorage, locks: null },
  );
  session.accept({ accessToken: "access-token", refreshToken: "refresh-token" });
  return session;
}

async function showSettings(environment: MockEnvironment, session: Session) {
  renderWithRelay(
    <AuthProvider session={session}>
      <SettingsPage />
    </AuthProvider>,
    environment,
  );
  const operation = environment.mock.getMostRecentOperation();
  await act(async () =>
    environment.mock.resolve(
      operation,
      MockPayloadGenerator.generate(operation, {
        Query: () => ({
          me: { id: "VXNlcjox", email: "ada@example.com", timeZone: "Europe/Paris" },
          ledgerSettings: { baseCurrency: "USD" },
        }),
      }),
    ),
  );
  // The quiet hours and digest section reads its own settings.
  const delivery = environment.mock.getMostRecentOperation();
  await act(async () => environment.mock.resolve(delivery, MockPayloadGenerator.generate(delivery)));
}

afterEach(() => vi.unstubAllGlobals());

describe("the settings page", () => {
  it("downloads the user's data with their access token, as the file the server names", async () => {
    const environment = createMockEnvironment();
    await showSettings(environment, signedIn());
    const fetched = vi.fn(
      async (_url: string, _init: RequestInit) =>
        new Response('{"format":"tally-export"}', {
          headers: { "Content-Type": "application/json", "Content-Disposition": 'attachment; filename="tally-export-2026-11-26.json"' },
        }),
    );
    vi.stubGlobal("fetch", fetched);
    // jsdom has no object URLs: the file handed to the browser is a blob: URL.
    const objectUrls = URL as unknown as { createObjectURL?: unknown; revokeObjectURL?: unknown };
    objectUrls.createObjectURL = vi.fn(() => "blob:tally-export");
    objectUrls.revokeObjectURL = vi.fn();
    const saved: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this);
    });

    await userEvent.click(screen.getByRole("button", { name: "Download my data" }));

    await screen.findByText("Downloaded tally-export-2026-11-26.json (0.1 kB).");
    const [url, init] = fetched.mock.calls[0]!;
    // Beside the GraphQL endpoint, wherever the build points it.
    expect(url).toBe(new URL("export/my-data", new URL(graphqlHttpUrl(), window.location.href)).toString());
    expect(init.headers).toEqual({ Authorization: "Bearer access-token" });
    expect(saved.map((link) => [link.download, link.href])).toEqual([["tally-export-2026-11-26.json", "blob:tally-export"]]);
    click.mockRestore();
    delete objectUrls.createObjectURL;
    delete objectUrls.revokeObjectURL;
  });

  it("says why an export failed", async () => {
    const environment = createMockEnvironment();
    await showSettings(environment, signedIn());
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(JSON.stringify({ errors: [{ message: "Too many exports: try again in an hour.", extensions: { code: "RATE_LIMITED" } }] }), {
            status: 429,
          }),
      ),
    );

    await userEvent.click(screen.getByRole("button", { name: "Download my data" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Too many exports: try again in an hour.");
  });

  it("deletes the account only with the password and DELETE typed, then signs out", async () => {
    const environment = createMockEnvironment();
    const session = signedIn();
    await showSettings(environment, session);
    const submit = screen.getByRole("button", { name: "Delete my account" });

    await userEvent.click(submit);
    expect(screen.getByLabelText("Your password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Type DELETE to confirm")).toHaveAttribute("aria-invalid", "true");
    await userEvent.type(screen.getByLabelText("Your password"), "wrong password");
    await userEvent.type(screen.getByLabelText("Type DELETE to confirm"), "delete");
    await userEvent.click(submit);
    expect(screen.getByText("Type DELETE to confirm.")).toBeInTheDocument();
    expect(environment.mock.getAllOperations()).toHaveLength(0);

    await userEvent.clear(screen.getByLabelText("Type DELETE to confirm"));
    await userEvent.type(screen.getByLabelText("Type DELETE to confirm"), "DELETE");
    await userEvent.click(submit);
    const refused = environment.mock.getMostRecentOperation();
    expect(refused.request.variables).toEqual({ input: { password: "wrong password" } });
    await act(async () =>
      environment.mock.reject(
        refused,
        new ApiError([{ message: "input.password: is not the account's password", extensions: { code: "BAD_USER_INPUT", field: "input.password" } }]),
      ),
    );
    expect(screen.getByText("Is not the account's password")).toBeInTheDocument();
    expect(session.signedIn).toBe(true);

    await userEvent.clear(screen.getByLabelText("Your password"));
    await userEvent.type(screen.getByLabelText("Your password"), "the right one");
    await userEvent.click(submit);
    await act(async () =>
      environment.mock.resolve(environment.mock.getMostRecentOperation(), {
        data: { deleteMyAccount: { deletedUserId: "VXNlcjox", bankConnectionsRevoked: 1, bankConnectionsAwaitingRevocation: 0 } },
      }),
    );
    expect(session.signedIn).toBe(false);
    expect(session.endedByLogOut).toBe(true);
    expect(session.farewell).toBe("Your Tally account and all its data are deleted. Linked banks disconnected: 1.");
    expect(window.localStorage.length).toBe(0);
  }, 20_000);
});
