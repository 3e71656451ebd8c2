import { type ReactNode, Suspense } from "react";
import type { TableRow } from "./DataTable";
import { DataTable } from "./DataTable";

export type ReportView = "chart" | "table";

export interface ReportTable {
  readonly caption: string;
  readonly corner: string;
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  readonly foot?: TableRow;
}

/**
 * A chart with its figures as a table: the chart for the eye, the table always there for screen
 * readers (visually hidden), and shown instead of the chart when the person asks for it.
 */
export function ChartOrTable({ view, chart, table }: { view: ReportView; chart: ReactNode; table: ReportTable }) {
  if (view === "table") return <DataTable {...table} />;
  return (
    <>
      <Suspense fallback={<div className="chart chart-tall chart-placeholder" />}>{chart}</Suspense>
      <DataTable {...table} hidden />
    </>
  );
}
