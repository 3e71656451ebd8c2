import { type ChangeEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { fetchQuery, graphql, useRelayEnvironment } from "react-relay";
import type { PayeePickerQuery } from "../__generated__/PayeePickerQuery.graphql";
import type { Named } from "./Pickers";

const query = graphql`
  query PayeePickerQuery($search: String, $first: Int) {
    payees(search: $search, first: $first) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;

const SUGGESTIONS = 20;
const TYPING_PAUSE_MS = 250;

/** The payees whose name holds the typed text, fetched as the user pauses (once the box is used). */
function usePayeeSuggestions(text: string, active: boolean): readonly Named[] {
  const environment = useRelayEnvironment();
  const [found, setFound] = useState<readonly Named[]>([]);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(() => {
      const subscription = fetchQuery<PayeePickerQuery>(environment, query, { search: text.trim() || null, first: SUGGESTIONS }).subscribe({
        next: (data) => setFound(data.payees.edges.map(({ node }) => node)),
        // A failed suggestion only leaves the list as it was; picking still says what is wrong.
        error: () => undefined,
      });
      cleanup = () => subscription.unsubscribe();
    }, TYPING_PAUSE_MS);
    let cleanup = () => clearTimeout(timer);
    return () => cleanup();
  }, [active, environment, text]);
  return found;
}

/**
 * A payee chosen by name among the user's payees: a text box suggesting names as one types (a
 * native datalist, so keyboards and screen readers know it). Picking happens on a suggestion, on
 * Enter, or on leaving the box; an empty box picks no payee.
 */
export function PayeePicker({
  label,
  value,
  onPick,
  error,
  onError,
  placeholder,
}: {
  label: string;
  value: Named | null;
  onPick: (payee: Named | null) => void;
  error?: string | null | undefined;
  onError: (message: string | null) => void;
  placeholder?: string;
}) {
  const id = useId();
  const environment = useRelayEnvironment();
  const [text, setText] = useState(value?.name ?? "");
  const [active, setActive] = useState(false);
  const suggestions = usePayeeSuggestions(text, active);
  const shown = useRef(value?.name ?? "");
  // Another pick (a reset, an edit elsewhere) shows in the box.
  useEffect(() => {
    const name = value?.name ?? "";
    if (name !== shown.current) setText(name);
    shown.current = name;
  }, [value]);

  async function pick(typed: string): Promise<void> {
    const wanted = typed.trim();
    if (wanted === (value?.name ?? "")) return onError(null);
    if (wanted === "") {
      onError(null);
      return onPick(null);
    }
    const same = (payee: Named) => payee.name.toLowerCase() === wanted.toLowerCase();
    // Typed faster than the suggestions came: ask for that name itself.
    const match =
      suggestions.find(same) ??
      (await fetchQuery<PayeePickerQuery>(environment, query, { search: wanted, first: SUGGESTIONS }).toPromise().then(
        (data) => data?.payees.edges.map(({ node }) => node).find(same),
        () => undefined,
      ));
    if (!match) return onError(`No payee is called “${wanted}”: pick one of the suggestions.`);
    onError(null);
    shown.current = match.name;
    setText(match.name);
    onPick(match);
  }

  function change(event: ChangeEvent<HTMLInputElement>) {
    setText(event.target.value);
    // A suggestion chosen from the list arrives whole, not typed: pick it at once.
    const native = event.nativeEvent as InputEvent;
    if (native.inputType === undefined || native.inputType === "insertReplacementText") {
      if (suggestions.some((payee) => payee.name === event.target.value)) void pick(event.target.value);
    }
  }

  function key(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      void pick(text);
    }
  }

  const errorId = `${id}-error`;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        list={`${id}-list`}
        autoComplete="off"
        value={text}
        placeholder={placeholder}
        onChange={change}
        onKeyDown={key}
        onFocus={() => setActive(true)}
        onBlur={() => void pick(text)}
        {...(error ? { "aria-invalid": true, "aria-describedby": errorId } : {})}
      />
      <datalist id={`${id}-list`}>
        {suggestions.map((payee) => (
          <option key={payee.id} value={payee.name} />
        ))}
      </datalist>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
