/**
 * Who is signed in in this browser, and the tokens that prove it.
 *
 * Where the tokens live, and why:
 * - The access token (15 minutes) stays in memory only. Every request and the live socket carry
 *   it; nothing else in the page, and no other tab, can read it from storage.
 * - The refresh token (30 days, single use) is kept in localStorage, so that a reload or a new
 *   tab stays signed in. The cost: a script injected into the page (XSS) could read it. The
 *   app's own defences bound that cost: React escapes all text, the page loads no third-party
 *   script, and the server rotates the token on every use and ends the whole session when a used
 *   one comes back, so a stolen copy works at most once, and its theft shows. Memory alone would
 *   be safer against XSS but would sign the user out on every reload; an HttpOnly cookie would
 *   be better still, but the public contract hands tokens to the client, not cookies.
 *
 * Each refresh token works once, and tabs share localStorage: refreshing is serialized across
 * tabs with a Web Lock, and each refresh reads the newest token from storage inside the lock (a
 * token another tab just rotated is never replayed). Signing out in one tab signs out the others.
 */
import { ApiError, NetworkError } from "../api/errors";
import type { AuthTokens } from "./authApi";

export const REFRESH_TOKEN_KEY = "tally.refreshToken";
/** Refresh this long before the access token expires (clocks drift; requests take time). */
export const REFRESH_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_MS = 15 * 60_000;
const LOCK_NAME = "tally.session-refresh";

export interface SessionApi {
  refreshSession(refreshToken: string): Promise<AuthTokens>;
  logOut(accessToken: string): Promise<void>;
}

export interface SessionOptions {
  readonly storage?: Storage;
  readonly now?: () => number;
  readonly locks?: LockManager | null;
}

/** When a JWT access token expires (ms since the epoch), from its `exp` claim; null if unreadable. */
export function accessTokenExpiry(token: string): number | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export class Session {
  private readonly api: SessionApi;
  private readonly storage: Storage;
  private readonly now: () => number;
  private readonly locks: LockManager | null;
  private accessToken: string | null = null;
  private expiresAt = 0;
  private inFlight: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private loggedOut = false;
  private farewellNotice: string | null = null;

  constructor(api: SessionApi, options: SessionOptions = {}) {
    this.api = api;
    this.storage = options.storage ?? window.localStorage;
    this.now = options.now ?? Date.now;
    this.locks =
      options.locks !== undefined
        ? options.locks
        : typeof navigator !== "undefined" && "locks" in navigator
          ? navigator.locks
          : null;
  }

  /** Whether this browser holds a session (a refresh token), valid or not. */
  get signedIn(): boolean {
    return this.storage.getItem(REFRESH_TOKEN_KEY) !== null;
  }

  /** Whether the last session here ended by the user's own log-out (not by expiry or refusal). */
  get endedByLogOut(): boolean {
    return this.loggedOut;
  }

  /** Keep the tokens that signUp, logIn or refreshSession returned. */
  accept(tokens: AuthTokens): void {
    this.loggedOut = false;
    this.farewellNotice = null;
    this.accessToken = tokens.accessToken;
    this.expiresAt = accessTokenExpiry(tokens.accessToken) ?? this.now() + DEFAULT_LIFETIME_MS;
    this.storage.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
    this.scheduleRefresh();
    this.notify();
  }

  /** An access token good for a request now: refreshed first when it is about to expire. */
  async accessTokenForRequest(): Promise<string | null> {
    if (this.accessToken && this.now() < this.expiresAt - REFRESH_MARGIN_MS) {
      return this.accessToken;
    }
    if (!this.signedIn) return null;
    return this.refresh();
  }

  /**
   * New tokens for the session (one refresh at a time, whoever asks). Null, and signed out, when
   * the server refuses the refresh token; a network failure keeps the session and throws.
   */
  refresh(): Promise<string | null> {
    this.inFlight ??= this.refreshOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** After the API answered UNAUTHENTICATED: the access token in hand is no good. */
  refreshAfterRefusal(refusedToken: string | null): Promise<string | null> {
    if (refusedToken !== null && refusedToken === this.accessToken) {
      this.accessToken = null;
    }
    return this.accessToken ? Promise.resolve(this.accessToken) : this.refresh();
  }

  /** End the session here and on the server (best effort: the tokens are gone here either way). */
  async logOut(): Promise<void> {
    const token = this.accessToken ?? (this.signedIn ? await this.refresh().catch(() => null) : null);
    this.loggedOut = true;
    this.forget();
    if (token) {
      await this.api.logOut(token).catch(() => undefined);
    }
  }

  /** What the log-in page says once this session has ended for good (the account deleted). */
  get farewell(): string | null {
    return this.farewellNotice;
  }

  /**
   * The account is gone (its owner deleted it): its tokens no longer work, so nothing is sent;
   * signed out here as by a log-out, with a word for the log-in page.
   */
  accountDeleted(notice: string): void {
    this.loggedOut = true;
    this.farewellNotice = notice;
    this.forget();
  }

  /** Drop the tokens here (signed out), without telling the server. */
  forget(): void {
    const wasSignedIn = this.signedIn || this.accessToken !== null;
    this.accessToken = null;
    this.expiresAt = 0;
    clearTimeout(this.timer);
    this.storage.removeItem(REFRESH_TOKEN_KEY);
    if (wasSignedIn) this.notify();
  }

  /** Another tab changed the stored refresh token: a sign-out there signs out here too. */
  storageChanged(event: StorageEvent): void {
    if (event.key === REFRESH_TOKEN_KEY && event.newValue === null && this.accessToken !== null) {
      this.accessToken = null;
      clearTimeout(this.timer);
      this.notify();
    }
  }

  /** Call `listener` whenever the user signs in or out. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  private async refreshOnce(): Promise<string | null> {
    const exchange = async (): Promise<string | null> => {
      const refreshToken = this.storage.getItem(REFRESH_TOKEN_KEY);
      if (refreshToken === null) {
        this.forget();
        return null;
      }
      try {
        const tokens = await this.api.refreshSession(refreshToken);
        this.accept(tokens);
        return tokens.accessToken;
      } catch (error) {
        if (error instanceof ApiError && !(error instanceof NetworkError) && this.refusesSession(error)) {
          this.forget();
          return null;
        }
        throw error;
      }
    };
    return this.locks ? this.locks.request(LOCK_NAME, exchange) : exchange();
  }

  private refusesSession(error: ApiError): boolean {
    return error.hasCode("UNAUTHENTICATED") || error.hasCode("BAD_USER_INPUT");
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    const delay = Math.max(this.expiresAt - REFRESH_MARGIN_MS - this.now(), 0);
    this.timer = setTimeout(() => {
      // A failure here is retried by the next request that needs a token.
      this.refresh().catch(() => undefined);
    }, delay);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
