/**
 * Plaid Link in the page: its script, loaded from where the server says (`linkScriptUrl` of
 * createLinkToken: Plaid's CDN with real Plaid, the emulator's look-alike in local mode), and
 * the `Plaid.create` API both share. The app's code path is the same either way.
 */
import { graphqlHttpUrl } from "../config";

export interface PlaidInstitution {
  readonly name: string;
  readonly institution_id: string;
}

export interface PlaidLinkError {
  readonly error_type: string;
  readonly error_code: string;
  readonly error_message: string;
  readonly display_message: string | null;
}

export interface PlaidSuccessMetadata {
  readonly institution: PlaidInstitution | null;
  readonly accounts: readonly { id: string; name: string; mask: string | null; type: string; subtype: string | null }[];
  readonly link_session_id: string;
}

export interface PlaidExitMetadata {
  readonly institution: PlaidInstitution | null;
  readonly status: string | null;
  readonly link_session_id: string | null;
  readonly request_id: string | null;
}

export interface PlaidLinkConfig {
  readonly token: string;
  readonly onSuccess: (publicToken: string, metadata: PlaidSuccessMetadata) => void;
  readonly onExit?: (error: PlaidLinkError | null, metadata: PlaidExitMetadata) => void;
  readonly onEvent?: (eventName: string, metadata: Record<string, unknown>) => void;
  readonly onLoad?: () => void;
}

export interface PlaidLinkHandler {
  open(): void;
  exit(options?: { force?: boolean }): void;
  destroy(): void;
}

export interface PlaidStatic {
  create(config: PlaidLinkConfig): PlaidLinkHandler;
}

declare global {
  interface Window {
    Plaid?: PlaidStatic;
  }
}

const loading = new Map<string, Promise<PlaidStatic>>();

/** The script's absolute URL: a path is on the API's own server (where the emulator runs). */
export function resolveScriptUrl(linkScriptUrl: string, base: string = window.location.href): string {
  return new URL(linkScriptUrl, new URL(graphqlHttpUrl(), base)).toString();
}

/** Plaid Link's `Plaid` object, its script loaded once (a page already holding it uses it). */
export function loadPlaidLink(linkScriptUrl: string): Promise<PlaidStatic> {
  if (window.Plaid) return Promise.resolve(window.Plaid);
  const url = resolveScriptUrl(linkScriptUrl);
  let pending = loading.get(url);
  if (!pending) {
    pending = new Promise<PlaidStatic>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => (window.Plaid ? resolve(window.Plaid) : reject(new Error("Plaid Link did not start.")));
      script.onerror = () => {
        loading.delete(url);
        script.remove();
        reject(new Error("Plaid Link could not be loaded. Check your connection and try again."));
      };
      document.head.appendChild(script);
    });
    loading.set(url, pending);
  }
  return pending;
}
