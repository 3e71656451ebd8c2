import { useCallback, useEffect, useRef } from "react";

/**
 * Focus back on the control that opened a panel, once the panel closes. The control is often
 * rendered anew by then (hidden while its panel was open), so it is found by name, not kept:
 * `register(name)` is the control's ref, `open` the name of the panel open now, or null.
 */
export function useReturnFocus<Name extends string>(open: Name | null): (name: Name) => (element: HTMLElement | null) => void {
  const controls = useRef(new Map<Name, HTMLElement>());
  const opened = useRef<Name | null>(null);
  useEffect(() => {
    if (open !== null) {
      opened.current = open;
      return;
    }
    if (opened.current !== null) {
      controls.current.get(opened.current)?.focus();
      opened.current = null;
    }
  }, [open]);
  return useCallback(
    (name: Name) => (element: HTMLElement | null) => {
      if (element) controls.current.set(name, element);
      else controls.current.delete(name);
    },
    [],
  );
}
