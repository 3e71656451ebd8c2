import { Suspense, useEffect, useId, useRef, useState } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import type { AppShellQuery } from "../__generated__/AppShellQuery.graphql";
import { useAuth } from "../auth/AuthContext";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { Loading } from "../components/Loading";
import { useLiveNotifications } from "../notifications/liveNotifications";
import { useUnreadCount } from "../notifications/UnreadCount";
import { NAVIGATION } from "./navigation";
import { ViewerContext } from "./viewer";

const query = graphql`
  query AppShellQuery {
    me {
      id
      email
      timeZone
    }
    ...UnreadCount_query
  }
`;

/** The frame of every signed-in page: navigation, who is signed in, live alerts, the page. */
export function AppShell() {
  const data = useLazyLoadQuery<AppShellQuery>(query, {}, { fetchPolicy: "store-or-network" });
  const unread = useUnreadCount(data);
  const announcement = useLiveNotifications();
  const { logOut } = useAuth();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();
  const toggle = useRef<HTMLButtonElement>(null);

  // A page chosen from the menu closes it (on a phone it covers the page).
  useEffect(() => setMenuOpen(false), [location.pathname]);
  // Escape closes it too, and gives the focus back to the button that opened it.
  useEffect(() => {
    if (!menuOpen) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setMenuOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  return (
    <ViewerContext.Provider value={data.me}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="brand" to="/" aria-label="Tally, dashboard">
          <span aria-hidden="true" className="brand-mark">
            ▦
          </span>{" "}
          Tally
        </Link>
        <button
          ref={toggle}
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls={navId}
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? "Close menu" : "Menu"}
        </button>
        <div className="account">
          <span className="account-email">{data.me.email}</span>
          <button type="button" className="button button-quiet" onClick={() => void logOut()}>
            Log out
          </button>
        </div>
      </header>
      <div className="layout">
        <nav id={navId} className={menuOpen ? "sidebar sidebar-open" : "sidebar"} aria-label="Main">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} end={item.path === "/"}>
                  {item.label}
                  {item.path === "/notifications" && unread.count > 0 && (
                    <span className="badge">
                      {unread.label}
                      <span className="visually-hidden"> unread</span>
                    </span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          <ErrorBoundary key={location.pathname} what="this page">
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
    </ViewerContext.Provider>
  );
}
