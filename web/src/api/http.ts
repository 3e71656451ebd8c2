import { graphqlHttpUrl } from "../config";
import { ApiError, type GraphQLErrorShape, NetworkError } from "./errors";

export interface GraphQLResponse {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLErrorShape[];
}

/** One GraphQL request over HTTP; the raw response (errors included), or NetworkError. */
export async function postGraphQL(
  query: string,
  variables: Record<string, unknown>,
  accessToken: string | null,
  signal?: AbortSignal,
): Promise<GraphQLResponse> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/graphql-response+json, application/json",
  };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let response: Response;
  try {
    response = await fetch(graphqlHttpUrl(), {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new NetworkError();
  }
  try {
    return (await response.json()) as GraphQLResponse;
  } catch {
    throw new NetworkError(`Tally answered ${response.status} ${response.statusText}.`);
  }
}

/** The data of a request that must succeed whole; ApiError otherwise. */
export async function requestData<T>(
  query: string,
  variables: Record<string, unknown>,
  accessToken: string | null = null,
): Promise<T> {
  const answer = await postGraphQL(query, variables, accessToken);
  if (answer.errors?.length || !answer.data) {
    throw new ApiError(answer.errors ?? [{ message: "The answer held no data." }]);
  }
  return answer.data as T;
}
