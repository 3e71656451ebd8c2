import { fetchQuery, graphql } from "react-relay";
import type { environmentTestQuery } from "../__generated__/environmentTestQuery.graphql";
import { ApiError } from "../api/errors";
import { REFRESH_TOKEN_KEY, Session } from "../auth/session";
import { createTallyEnvironment } from "./environment";

const query = graphql`
  query environmentTestQuery {
    me {
      id
      email
    }
  }
`;

const ME = { data: { me: { id: "VXNlcjox", email: "me@example.com" } } };
const UNAUTHENTICATED = { data: null, errors: [{ message: "Your access token has expired.", extensions: { code: "UNAUTHENTICATED" } }] };

function answering(...bodies: unknown[]) {
  const sent: { authorization: string | null; body: { query: string } }[] = [];
  const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    sent.push({ authorization: headers.Authorization ?? null, body: JSON.parse(init.body as string) });
    return new Response(JSON.stringify(bodies.shift()), { headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return sent;
}

function signedInSession(): Session {
  const session = new Session({ refreshSession: vi.fn(), logOut: vi.fn() }, { locks: null });
  const exp = Math.floor(Date.now() / 1000) + 900;
  session.accept({ accessToken: `h.${btoa(JSON.stringify({ exp }))}.s`, refreshToken: "refresh-1" });
  return session;
}

afterEach(() => vi.unstubAllGlobals());

describe("the Relay network", () => {
  it("sends the access token with every request", async () => {
    const sent = answering(ME);
    const session = signedInSession();
    const { environment } = createTallyEnvironment(session);
    const data = await fetchQuery<environmentTestQuery>(environment, query, {}).toPromise();
    expect(data?.me.email).toBe("me@example.com");
    expect(sent[0]?.authorization).toMatch(/^Bearer h\./);
  });

  it("refreshes the session once on UNAUTHENTICATED and sends the request again", async () => {
    const refreshed = { accessToken: "h.e30.new", refreshToken: "refresh-2" };
    const session = new Session({ refreshSession: vi.fn(async () => refreshed), logOut: vi.fn() }, { locks: null });
    session.accept({ accessToken: `h.${btoa(JSON.stringify({ exp: Date.now() / 1000 + 900 }))}.old`, refreshToken: "refresh-1" });
    const sent = answering(UNAUTHENTICATED, ME);

    const { environment } = createTallyEnvironment(session);
    const data = await fetchQuery<environmentTestQuery>(environment, query, {}).toPromise();

    expect(data?.me.id).toBe("VXNlcjox");
    expect(sent.map((request) => request.authorization)).toEqual([
      expect.stringMatching(/\.old$/),
      "Bearer h.e30.new",
    ]);
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe("refresh-2");
  });

  it("signs out when the refresh is refused too, and reports the refusal", async () => {
    const refusal = new ApiError([{ message: "ended", extensions: { code: "UNAUTHENTICATED" } }]);
    const session = new Session({ refreshSession: vi.fn(async () => Promise.reject(refusal)), logOut: vi.fn() }, { locks: null });
    session.accept({ accessToken: `h.${btoa(JSON.stringify({ exp: Date.now() / 1000 + 900 }))}.old`, refreshToken: "refresh-1" });
    answering(UNAUTHENTICATED);

    const { environment } = createTallyEnvironment(session);
    await expect(fetchQuery<environmentTestQuery>(environment, query, {}).toPromise()).rejects.toBeInstanceOf(ApiError);
    expect(session.signedIn).toBe(false);
  });
});
