import { graphqlHttpUrl } from "../config";
import { loadPlaidLink, type PlaidStatic, resolveScriptUrl } from "./plaidLink";

const EMULATED = "/plaid-sandbox/link/v2/stable/link-initialize.js";
/** Where a path lands: on the API's server (this page's, unless the build points elsewhere). */
const onApiServer = (path: string, page = window.location.href) => new URL(path, new URL(graphqlHttpUrl(), page)).toString();

afterEach(() => {
  delete window.Plaid;
  document.head.querySelectorAll("script").forEach((script) => script.remove());
});

describe("loading Plaid Link", () => {
  it("takes Plaid's CDN as given and a path as the API server's", () => {
    const cdn = "https://cdn.plaid.com/link/v2/stable/link-initialize.js";
    expect(resolveScriptUrl(cdn, "https://tally.example/accounts")).toBe(cdn);
    expect(resolveScriptUrl(EMULATED, "https://tally.example/accounts")).toBe(onApiServer(EMULATED, "https://tally.example/accounts"));
    expect(new URL(resolveScriptUrl(EMULATED)).pathname).toBe(EMULATED);
  });

  it("adds the script once and hands over the Plaid it defines", async () => {
    const first = loadPlaidLink("/plaid-sandbox/link/v2/stable/link-initialize.js");
    const again = loadPlaidLink("/plaid-sandbox/link/v2/stable/link-initialize.js");
    const scripts = document.head.querySelectorAll("script");
    expect(scripts).toHaveLength(1);
    expect(scripts[0]!.src).toBe(onApiServer(EMULATED));
    const Plaid: PlaidStatic = { create: vi.fn() };
    window.Plaid = Plaid;
    scripts[0]!.dispatchEvent(new Event("load"));
    await expect(first).resolves.toBe(Plaid);
    await expect(again).resolves.toBe(Plaid);
  });

  it("says so when the script cannot be loaded, and tries again next time", async () => {
    const failing = loadPlaidLink("https://cdn.plaid.com/link/v2/stable/link-initialize.js");
    document.head.querySelector("script")!.dispatchEvent(new Event("error"));
    await expect(failing).rejects.toThrow("Plaid Link could not be loaded");
    expect(document.head.querySelectorAll("script")).toHaveLength(0);
    void loadPlaidLink("https://cdn.plaid.com/link/v2/stable/link-initialize.js").catch(() => undefined);
    expect(document.head.querySelectorAll("script")).toHaveLength(1);
  });
});
