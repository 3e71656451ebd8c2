import { type ReactNode, useEffect, useRef } from "react";

/**
 * A page's title and heading. After a client-side navigation the heading takes the focus, so a
 * keyboard or screen-reader user starts reading the new page, as after a full page load.
 */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Tally`;
    if (document.activeElement && document.activeElement !== document.body) {
      heading.current?.focus();
    }
  }, [title]);
  return (
    <>
      <div className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </>
  );
}
