/**
 * The session's own operations. They run outside Relay's store (they decide who is asking, so a
 * new store follows them), but are compiled by relay-compiler like every other document, so the
 * schema checks them and their types are generated.
 */
import { graphql } from "react-relay";
import type { ConcreteRequest, GraphQLTaggedNode } from "relay-runtime";
import type { authApiLogInMutation } from "../__generated__/authApiLogInMutation.graphql";
import type { authApiLogOutMutation } from "../__generated__/authApiLogOutMutation.graphql";
import type { authApiRefreshMutation } from "../__generated__/authApiRefreshMutation.graphql";
import type { authApiSignUpMutation } from "../__generated__/authApiSignUpMutation.graphql";
import { requestData } from "../api/http";

export interface AuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

const signUpMutation = graphql`
  mutation authApiSignUpMutation($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      refreshToken
    }
  }
`;

const logInMutation = graphql`
  mutation authApiLogInMutation($input: LogInInput!) {
    logIn(input: $input) {
      accessToken
      refreshToken
    }
  }
`;

const refreshMutation = graphql`
  mutation authApiRefreshMutation($input: RefreshSessionInput!) {
    refreshSession(input: $input) {
      accessToken
      refreshToken
    }
  }
`;

const logOutMutation = graphql`
  mutation authApiLogOutMutation {
    logOut {
      loggedOut
    }
  }
`;

function text(node: GraphQLTaggedNode): string {
  const request = node as ConcreteRequest;
  if (!request.params.text) throw new Error(`${request.params.name} has no text`);
  return request.params.text;
}

export type SignUpInput = authApiSignUpMutation["variables"]["input"];
export type LogInInput = authApiLogInMutation["variables"]["input"];

export async function signUp(input: SignUpInput): Promise<AuthTokens> {
  const data = await requestData<authApiSignUpMutation["response"]>(text(signUpMutation), { input });
  return data.signUp;
}

export async function logIn(input: LogInInput): Promise<AuthTokens> {
  const data = await requestData<authApiLogInMutation["response"]>(text(logInMutation), { input });
  return data.logIn;
}

export async function refreshSession(refreshToken: string): Promise<AuthTokens> {
  const data = await requestData<authApiRefreshMutation["response"]>(text(refreshMutation), {
    input: { refreshToken },
  });
  return data.refreshSession;
}

export async function logOut(accessToken: string): Promise<void> {
  await requestData<authApiLogOutMutation["response"]>(text(logOutMutation), {}, accessToken);
}
