/** Where the API is: the page's own origin unless the build was pointed elsewhere. */
export function graphqlHttpUrl(): string {
  return __TALLY_API_URL__ || "/graphql";
}

export function graphqlWebSocketUrl(): string {
  const http = new URL(graphqlHttpUrl(), window.location.href);
  http.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  return http.toString();
}
