import { lazy, type ReactNode, Suspense } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { useAuth } from "./auth/AuthContext";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { Loading } from "./components/Loading";
import { LogInPage, SignUpPage } from "./pages/AuthPages";
import { SessionEnvironment } from "./relay/SessionEnvironment";
import { AppShell } from "./shell/AppShell";
import { NAVIGATION } from "./shell/navigation";

// Each page is a chunk of its own, loaded when first visited.
const DashboardPage = lazy(() => import("./pages/DashboardPage"));
const NotificationsPage = lazy(() => import("./pages/NotificationsPage"));
const TransactionsPage = lazy(() => import("./pages/TransactionsPage"));
const BudgetsPage = lazy(() => import("./pages/BudgetsPage"));
const SettingsPage = lazy(() => import("./pages/SettingsPage"));
const GoalsPage = lazy(() => import("./pages/GoalsPage"));
const ReportsPage = lazy(() => import("./pages/ReportsPage"));
const AlertRulesPage = lazy(() => import("./pages/AlertRulesPage"));
const AccountsPage = lazy(() => import("./pages/AccountsPage"));
const ComingSoonPage = lazy(() => import("./pages/ComingSoonPage"));
const NotFoundPage = lazy(() => import("./pages/NotFoundPage"));

/** Signed-in pages: the others send the visitor to log in, and back here after. */
function RequireSession({ children }: { children: ReactNode }) {
  const { signedIn, session } = useAuth();
  const location = useLocation();
  if (!signedIn) {
    // After a log-out, the next person starts from the dashboard, not from where this one was.
    const back = location.pathname !== "/" && !session.endedByLogOut;
    const next = back ? `?next=${encodeURIComponent(location.pathname + location.search)}` : "";
    return <Navigate to={`/login${next}`} replace />;
  }
  return <>{children}</>;
}

function SignedOutOnly({ children }: { children: ReactNode }) {
  const { signedIn } = useAuth();
  return signedIn ? <Navigate to="/" replace /> : <>{children}</>;
}

function FullPageLoading() {
  return (
    <div className="full-page">
      <Loading />
    </div>
  );
}

export function App() {
  const { signedIn } = useAuth();
  // A failure while signed in (the session ended, say) does not stay on screen once signed out.
  return (
    <ErrorBoundary what="Tally" key={signedIn ? "signed-in" : "signed-out"}>
      <Routes>
        <Route path="/login" element={<SignedOutOnly><LogInPage /></SignedOutOnly>} />
        <Route path="/signup" element={<SignedOutOnly><SignUpPage /></SignedOutOnly>} />
        <Route
          element={
            <RequireSession>
              <SessionEnvironment>
                <Suspense fallback={<FullPageLoading />}>
                  <AppShell />
                </Suspense>
              </SessionEnvironment>
            </RequireSession>
          }
        >
          <Route index element={<DashboardPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="transactions" element={<TransactionsPage />} />
          <Route path="budgets" element={<BudgetsPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="goals" element={<GoalsPage />} />
          <Route path="reports" element={<ReportsPage />} />
          <Route path="alert-rules" element={<AlertRulesPage />} />
          <Route path="accounts" element={<AccountsPage />} />
          {NAVIGATION.filter((item) => !item.ready).map((item) => (
            <Route key={item.path} path={item.path.slice(1)} element={<ComingSoonPage title={item.label} />} />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </ErrorBoundary>
  );
}
