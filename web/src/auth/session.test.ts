import { ApiError, NetworkError } from "../api/errors";
import type { AuthTokens } from "./authApi";
import { REFRESH_MARGIN_MS, REFRESH_TOKEN_KEY, Session, type SessionApi } from "./session";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

/** An access token shaped like the gateway's (a JWT), expiring `seconds` after NOW. */
function accessToken(name: string, seconds = 15 * 60): string {
  const payload = btoa(JSON.stringify({ sub: name, exp: Math.floor(NOW / 1000) + seconds }))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `header.${payload}.signature`;
}

function tokens(n: number, seconds?: number): AuthTokens {
  return { accessToken: accessToken(`access-${n}`, seconds), refreshToken: `refresh-${n}` };
}

function fakeApi(...answers: (AuthTokens | Error)[]): SessionApi & { refreshed: string[]; loggedOut: string[] } {
  const refreshed: string[] = [];
  const loggedOut: string[] = [];
  return {
    refreshed,
    loggedOut,
    refreshSession: vi.fn(async (refreshToken: string) => {
      refreshed.push(refreshToken);
      const answer = answers.shift();
      if (!answer) throw new Error("no more answers");
      if (answer instanceof Error) throw answer;
      return answer;
    }),
    logOut: vi.fn(async (token: string) => {
      loggedOut.push(token);
    }),
  };
}

const refused = () => new ApiError([{ message: "This session has ended.", extensions: { code: "UNAUTHENTICATED" } }]);

describe("Session", () => {
  let now = NOW;
  const clock = () => now;

  beforeEach(() => {
    now = NOW;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(() => vi.useRealTimers());

  it("keeps the refresh token in storage and the access token in memory only", async () => {
    const session = new Session(fakeApi(), { now: clock, locks: null });
    session.accept(tokens(1));
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe("refresh-1");
    expect(Object.keys(localStorage)).toEqual([REFRESH_TOKEN_KEY]);
    expect(await session.accessTokenForRequest()).toBe(tokens(1).accessToken);
    expect(session.signedIn).toBe(true);
  });

  it("refreshes shortly before the access token expires, rotating the refresh token", async () => {
    const api = fakeApi(tokens(2));
    const session = new Session(api, { now: clock, locks: null });
    session.accept(tokens(1));

    now = NOW + 15 * 60_000 - REFRESH_MARGIN_MS + 1;
    expect(await session.accessTokenForRequest()).toBe(tokens(2).accessToken);
    expect(api.refreshed).toEqual(["refresh-1"]);
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe("refresh-2");
  });

  it("refreshes on a timer before expiry, with no request needing it", async () => {
    const api = fakeApi(tokens(2));
    const session = new Session(api, { now: clock, locks: null });
    session.accept(tokens(1));

    await vi.advanceTimersByTimeAsync(15 * 60_000 - REFRESH_MARGIN_MS - 1000);
    expect(api.refreshed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.refreshed).toEqual(["refresh-1"]);
  });

  it("sends one refresh however many requests need it at once (each token works once)", async () => {
    const api = fakeApi(tokens(2));
    const session = new Session(api, { now: clock, locks: null });
    localStorage.setItem(REFRESH_TOKEN_KEY, "refresh-1");

    const answers = await Promise.all([1, 2, 3].map(() => session.accessTokenForRequest()));
    expect(new Set(answers)).toEqual(new Set([tokens(2).accessToken]));
    expect(api.refreshed).toEqual(["refresh-1"]);
  });

  it("after a refusal, trades the refresh token for a new access token", async () => {
    const api = fakeApi(tokens(2));
    const session = new Session(api, { now: clock, locks: null });
    session.accept(tokens(1));
    expect(await session.refreshAfterRefusal(tokens(1).accessToken)).toBe(tokens(2).accessToken);
    expect(api.refreshed).toEqual(["refresh-1"]);
  });

  it("signs out when the server refuses the refresh token", async () => {
    const session = new Session(fakeApi(refused()), { now: clock, locks: null });
    const changes = vi.fn();
    session.subscribe(changes);
    localStorage.setItem(REFRESH_TOKEN_KEY, "refresh-1");

    expect(await session.refresh()).toBeNull();
    expect(session.signedIn).toBe(false);
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    expect(changes).toHaveBeenCalled();
  });

  it("keeps the session when the network fails (the refresh is tried again later)", async () => {
    const session = new Session(fakeApi(new NetworkError()), { now: clock, locks: null });
    localStorage.setItem(REFRESH_TOKEN_KEY, "refresh-1");
    await expect(session.refresh()).rejects.toBeInstanceOf(NetworkError);
    expect(session.signedIn).toBe(true);
  });

  it("refreshes under a lock shared by tabs, with the newest token stored", async () => {
    const api = fakeApi(tokens(3));
    const names: string[] = [];
    const locks = {
      request: vi.fn(async (name: string, callback: () => Promise<unknown>) => {
        names.push(name);
        // Another tab held the lock and rotated the token meanwhile.
        localStorage.setItem(REFRESH_TOKEN_KEY, "refresh-2");
        return callback();
      }),
    } as unknown as LockManager;
    const session = new Session(api, { now: clock, locks });
    localStorage.setItem(REFRESH_TOKEN_KEY, "refresh-1");

    expect(await session.refresh()).toBe(tokens(3).accessToken);
    expect(names).toEqual(["tally.session-refresh"]);
    expect(api.refreshed).toEqual(["refresh-2"]);
  });

  it("logs out on the server with the access token and forgets both tokens", async () => {
    const api = fakeApi();
    const session = new Session(api, { now: clock, locks: null });
    session.accept(tokens(1));
    await session.logOut();
    expect(api.loggedOut).toEqual([tokens(1).accessToken]);
    expect(session.signedIn).toBe(false);
    expect(session.endedByLogOut).toBe(true);
    expect(await session.accessTokenForRequest()).toBeNull();
  });

  it("signs out here when another tab signs out", async () => {
    const session = new Session(fakeApi(), { now: clock, locks: null });
    session.accept(tokens(1));
    const changes = vi.fn();
    session.subscribe(changes);
    localStorage.removeItem(REFRESH_TOKEN_KEY);
    session.storageChanged(new StorageEvent("storage", { key: REFRESH_TOKEN_KEY, newValue: null }));
    expect(changes).toHaveBeenCalledOnce();
    expect(await session.accessTokenForRequest()).toBeNull();
  });
});
