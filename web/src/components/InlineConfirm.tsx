import { useEffect, useRef } from "react";
import "./controls.css";

/**
 * "Are you sure?" in place, not in a browser dialog: the question takes the focus, and cancelling
 * hands it back to the caller (which puts it on the button that asked).
 */
export function InlineConfirm({
  question,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
}: {
  question: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div
      ref={box}
      className="confirm"
      role="group"
      aria-label={question}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      <p>{question}</p>
      <div className="actions">
        <button type="button" className="button button-danger" disabled={busy} onClick={onConfirm}>
          {busy ? "Working…" : confirmLabel}
        </button>
        <button type="button" className="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
