import { useState } from "react";
import { errorMessage } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { downloadMyData } from "./exportMyData";

function size(bytes: number): string {
  return new Intl.NumberFormat(undefined, { style: "unit", unit: bytes >= 1_000_000 ? "megabyte" : "kilobyte", maximumFractionDigits: 1 }).format(
    bytes >= 1_000_000 ? bytes / 1_000_000 : Math.max(bytes / 1000, 0.1),
  );
}

/** A copy of everything Tally holds of the user, as one JSON file. */
export function ExportData() {
  const { session } = useAuth();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    setStatus("Preparing your export…");
    try {
      const file = await downloadMyData(session);
      setStatus(`Downloaded ${file.fileName} (${size(file.bytes)}).`);
    } catch (failure) {
      setStatus("");
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card settings-section" aria-labelledby="export-heading">
      <h2 id="export-heading">Export my data</h2>
      <p>
        Everything Tally holds of yours — accounts, transactions, budgets, goals, rules, alerts and notifications — as one JSON
        file.
      </p>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button" onClick={() => void download()} disabled={busy}>
        {busy ? "Exporting…" : "Download my data"}
      </button>
      <p className="saved" role="status">
        {status}
      </p>
    </section>
  );
}
