/**
 * Relay's environment for one signed-in session: queries and mutations over HTTP with the
 * session's access token, subscriptions over graphql-transport-ws (graphql-ws), one store.
 * Signing out throws the environment away, store and socket with it, so nothing of one user's
 * data outlives their session in the page.
 */
import { createClient, type Client } from "graphql-ws";
import {
  Environment,
  type FetchFunction,
  Network,
  Observable,
  RecordSource,
  Store,
  type SubscribeFunction,
} from "relay-runtime";
import { ApiError } from "../api/errors";
import { postGraphQL } from "../api/http";
import type { Session } from "../auth/session";
import { graphqlWebSocketUrl } from "../config";

export interface TallyEnvironment {
  readonly environment: Environment;
  /** Held while mounted; the socket closes once nothing holds it (a remount keeps it). */
  retain(): () => void;
}

function fetchWith(session: Session): FetchFunction {
  return async (request, variables) => {
    if (!request.text) throw new Error(`${request.name} has no text`);
    let token = await session.accessTokenForRequest();
    let answer = await postGraphQL(request.text, variables, token);
    if (isRefusal(answer.errors)) {
      // The token was refused (expired early, or revoked): refresh once and try again.
      token = await session.refreshAfterRefusal(token);
      if (token === null) throw new ApiError(answer.errors ?? []);
      answer = await postGraphQL(request.text, variables, token);
    }
    if (answer.errors?.length) {
      // Partial data is not shown as if whole: the page's error boundary (or the mutation's
      // onError) says what went wrong, with the field the API names.
      throw new ApiError(answer.errors);
    }
    return { data: answer.data ?? {} } as never;
  };
}

function isRefusal(errors: readonly { extensions?: { code?: string } }[] | undefined): boolean {
  return errors?.some((error) => error.extensions?.code === "UNAUTHENTICATED") ?? false;
}

function subscribeWith(client: Client): SubscribeFunction {
  return (request, variables) =>
    Observable.create((sink) => {
      if (!request.text) {
        sink.error(new Error(`${request.name} has no text`));
        return undefined;
      }
      return client.subscribe(
        { operationName: request.name, query: request.text, variables },
        {
          next: (value) => {
            if (value.errors?.length) sink.error(new ApiError(value.errors as never));
            else sink.next(value as never);
          },
          error: (error) => sink.error(error instanceof Error ? error : new Error("The live connection failed.")),
          complete: () => sink.complete(),
        },
      );
    });
}

export function createTallyEnvironment(session: Session): TallyEnvironment {
  const socket = createClient({
    url: graphqlWebSocketUrl(),
    lazy: true,
    // The token is read at each (re)connection: a reconnect after a refresh uses the new one.
    connectionParams: async () => {
      const token = await session.accessTokenForRequest();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => session.signedIn,
  });
  const environment = new Environment({
    network: Network.create(fetchWith(session), subscribeWith(socket)),
    store: new Store(new RecordSource()),
  });
  let holders = 0;
  return {
    environment,
    retain: () => {
      holders += 1;
      return () => {
        holders -= 1;
        setTimeout(() => {
          if (holders === 0) void socket.dispose();
        }, 0);
      };
    },
  };
}
