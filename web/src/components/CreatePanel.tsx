import { type ReactNode, type RefObject, useRef, useState } from "react";
import { useReturnFocus } from "./useReturnFocus";

/** A list page's "New …" panel: whether it is open, and the status line that reports what happened. */
export interface CreatePanelState {
  readonly open: boolean;
  readonly message: string;
  readonly setMessage: (text: string) => void;
  /** Report `text` and move the focus to it (after a deletion, the control that did it is gone). */
  readonly announce: (text: string) => void;
  /** Close the panel, reporting `result` if there is one (none: cancelled). */
  readonly finish: (result?: string) => void;
  readonly start: () => void;
  readonly status: RefObject<HTMLParagraphElement | null>;
  readonly control: (name: "new") => (element: HTMLElement | null) => void;
}

export function useCreatePanel(): CreatePanelState {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState("");
  const status = useRef<HTMLParagraphElement>(null);
  // The "New …" button is gone while the panel is open: the focus goes back to it after.
  const control = useReturnFocus(open ? "new" : null);
  return {
    open,
    message,
    setMessage,
    announce(text) {
      setMessage(text);
      status.current?.focus();
    },
    finish(result) {
      setOpen(false);
      if (result) setMessage(result);
    },
    start() {
      setMessage("");
      setOpen(true);
    },
    status,
    control,
  };
}

/** The page's button that opens the panel; hidden while it is open. */
export function NewButton({ panel, children }: { panel: CreatePanelState; children: ReactNode }) {
  if (panel.open) return null;
  return (
    <button ref={panel.control("new")} type="button" className="button button-primary" onClick={panel.start}>
      {children}
    </button>
  );
}

/** Where the page says what was just done (focusable, for announce). */
export function StatusLine({ panel }: { panel: CreatePanelState }) {
  return (
    <p className="saved" role="status" ref={panel.status} tabIndex={-1}>
      {panel.message}
    </p>
  );
}

/** The open panel: a card with its heading and the form. */
export function CreatePanel({
  panel,
  className,
  title,
  headingId,
  children,
}: {
  panel: CreatePanelState;
  className: string;
  title: string;
  headingId: string;
  children: ReactNode;
}) {
  if (!panel.open) return null;
  return (
    <section className={`card ${className}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
