import { ApiError, type GraphQLErrorShape, NetworkError } from "../api/errors";
import type { Session } from "../auth/session";
import { graphqlHttpUrl } from "../config";

/** The gateway's export, beside its GraphQL endpoint (GET /export/my-data). */
export function exportUrl(): string {
  return new URL("export/my-data", new URL(graphqlHttpUrl(), window.location.href)).toString();
}

async function requestExport(token: string | null): Promise<Response> {
  try {
    return await fetch(exportUrl(), {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      cache: "no-store",
    });
  } catch {
    throw new NetworkError();
  }
}

async function refusal(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { errors?: GraphQLErrorShape[] };
    if (body.errors?.length) return new ApiError(body.errors);
  } catch {
    // Not JSON: said by its status below.
  }
  return new ApiError([{ message: `The export failed (${response.status} ${response.statusText}).` }]);
}

function fileName(response: Response): string {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? "tally-export.json";
}

/**
 * Download everything Tally holds of the user as one JSON file. The export needs the access
 * token in a header (a plain link cannot carry it), so it is fetched, then handed to the browser
 * as a file to save.
 */
export async function downloadMyData(session: Session): Promise<{ fileName: string; bytes: number }> {
  let token = await session.accessTokenForRequest();
  let response = await requestExport(token);
  if (response.status === 401) {
    token = await session.refreshAfterRefusal(token);
    if (token === null) throw await refusal(response);
    response = await requestExport(token);
  }
  if (!response.ok) throw await refusal(response);
  const blob = await response.blob();
  const name = fileName(response);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { fileName: name, bytes: blob.size };
}
