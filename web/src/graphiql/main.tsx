/**
 * GraphiQL for development, built from npm packages with the app (no CDN: it works offline).
 * The gateway serves this page at /graphql to browsers in TALLY_ENV=development.
 */
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";
import { graphqlHttpUrl, graphqlWebSocketUrl } from "../config";

const fetcher = createGraphiQLFetcher({
  url: graphqlHttpUrl(),
  subscriptionUrl: graphqlWebSocketUrl(),
});

const DEFAULT_HEADERS = JSON.stringify({ Authorization: "Bearer <accessToken from signUp or logIn>" }, null, 2);

const root = document.getElementById("graphiql");
if (!root) throw new Error("graphiql.html has no #graphiql");
createRoot(root).render(<GraphiQL fetcher={fetcher} defaultHeaders={DEFAULT_HEADERS} shouldPersistHeaders={false} />);
