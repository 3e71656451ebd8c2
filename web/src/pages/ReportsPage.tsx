import { Suspense, useState, useTransition } from "react";
import { useSearchParams } from "react-router";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import "../components/controls.css";
import { todayIn } from "../dates";
import { CashFlowReport } from "../reports/CashFlowReport";
import type { ReportView } from "../reports/ChartOrTable";
import { NetWorthReport } from "../reports/NetWorthReport";
import { type ReportParams, rangePresets, readParams, writeParams } from "../reports/params";
import { ReportControls } from "../reports/ReportControls";
import "../reports/reports.css";
import { SpendingByCategory } from "../reports/SpendingByCategory";
import { SpendingList } from "../reports/SpendingList";
import { useViewer } from "../shell/viewer";

function Report({ params, view }: { params: ReportParams; view: ReportView }) {
  switch (params.report) {
    case "payee":
      return <SpendingList params={params} groupBy="PAYEE" />;
    case "tag":
      return <SpendingList params={params} groupBy="TAG" />;
    case "cash-flow":
      return <CashFlowReport params={params} view={view} />;
    case "net-worth":
      return <NetWorthReport params={params} view={view} />;
    default:
      return <SpendingByCategory params={params} view={view} />;
  }
}

/** Spending by category, payee or tag, cash flow and net worth, over any range, exact. */
export default function ReportsPage() {
  const { timeZone } = useViewer();
  const today = todayIn(timeZone);
  const [search, setSearch] = useSearchParams();
  const [view, setView] = useState<ReportView>("chart");
  const [updating, startTransition] = useTransition();
  const params = readParams(search, today);
  const presets = rangePresets(today);

  function change(next: ReportParams) {
    // The report on screen stays until the next one has loaded (no flash of a spinner).
    startTransition(() => setSearch(writeParams(next), { replace: true }));
  }

  return (
    <Page title="Reports">
      <ReportControls params={params} presets={presets} view={view} onChange={change} onViewChange={setView} />
      <p className="report-updating" role="status">
        {updating ? "Updating the report…" : ""}
      </p>
      <section className="card report-card" aria-busy={updating}>
        {/* The boundary that suspends stays mounted, so a change (a transition) keeps the report
            on screen until the next is ready; a failed report is forgotten once the choice changes. */}
        <Suspense fallback={<Loading label="Loading the report…" />}>
          <ErrorBoundary key={writeParams(params).toString()} what="this report">
            <Report params={params} view={view} />
          </ErrorBoundary>
        </Suspense>
      </section>
    </Page>
  );
}
