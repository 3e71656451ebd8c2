/** GraphQL errors as the API sends them: a message and `extensions.code` (and `field`). */
export interface GraphQLErrorShape {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly field?: string; readonly [key: string]: unknown };
}

/** A response whose `errors` stopped the operation, or a transport failure. */
export class ApiError extends Error {
  readonly errors: readonly GraphQLErrorShape[];

  constructor(errors: readonly GraphQLErrorShape[]) {
    super(errors.map((error) => error.message).join(" ") || "The request failed.");
    this.name = "ApiError";
    this.errors = errors;
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }

  hasCode(code: string): boolean {
    return this.errors.some((error) => error.extensions?.code === code);
  }
}

/** The server could not be reached, or answered with something that is not GraphQL. */
export class NetworkError extends ApiError {
  constructor(message = "Tally cannot be reached. Check your connection and try again.") {
    super([{ message, extensions: { code: "NETWORK" } }]);
    this.name = "NetworkError";
  }
}

export interface FormErrors {
  /** Messages by input field name (`email` for the API's `input.email`). */
  readonly fields: Readonly<Record<string, string>>;
  /** Messages that name no field of this form. */
  readonly general: readonly string[];
}

/**
 * Sorts an error's messages next to the fields the API names (`extensions.field`, e.g.
 * `input.email`); the rest are shown for the whole form.
 */
export function formErrors(error: unknown, knownFields: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) {
    return { fields: {}, general: [error instanceof Error ? error.message : String(error)] };
  }
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const item of error.errors) {
    const path = item.extensions?.field;
    const name = path?.replace(/^input\./, "");
    if (path && name && knownFields.includes(name) && !(name in fields)) {
      // Beside the field, the message need not name it again ("input.password: too short").
      const prefix = `${path}: `;
      const message = item.message.startsWith(prefix) ? item.message.slice(prefix.length) : item.message;
      fields[name] = message.charAt(0).toUpperCase() + message.slice(1);
    } else {
      general.push(item.message);
    }
  }
  return { fields, general };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
