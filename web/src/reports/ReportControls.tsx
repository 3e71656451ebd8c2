import { useId } from "react";
import { Link } from "react-router";
import type { ReportView } from "./ChartOrTable";
import { type Direction, INTERVALS, type Interval, type RangePreset, REPORTS, type ReportParams, writeParams } from "./params";

const HAS_INTERVAL = new Set(["category", "net-worth"]);
const HAS_DIRECTION = new Set(["category", "payee", "tag"]);
const HAS_CHART = new Set(["category", "cash-flow", "net-worth"]);

/**
 * Which report, over which range, cut how: every control a native one (links, selects, date
 * fields, toggle buttons), so the keyboard reaches and works them all. Each change is applied at
 * once; the report below keeps showing until the new one is ready.
 */
export function ReportControls({
  params,
  presets,
  view,
  onChange,
  onViewChange,
}: {
  params: ReportParams;
  presets: readonly RangePreset[];
  view: ReportView;
  onChange: (next: ReportParams) => void;
  onViewChange: (view: ReportView) => void;
}) {
  const id = useId();
  const preset = presets.find((item) => item.from === params.from && item.to === params.to)?.id ?? "custom";
  return (
    <div className="report-controls">
      <nav aria-label="Reports" className="report-tabs">
        <ul>
          {REPORTS.map((report) => (
            <li key={report.id}>
              <Link
                to={`?${writeParams({ ...params, report: report.id }).toString()}`}
                aria-current={report.id === params.report ? "page" : undefined}
              >
                {report.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="report-filters">
        <div className="field">
          <label htmlFor={`${id}-range`}>Range</label>
          <select
            id={`${id}-range`}
            value={preset}
            onChange={(event) => {
              const chosen = presets.find((item) => item.id === event.target.value);
              if (chosen) onChange({ ...params, from: chosen.from, to: chosen.to });
            }}
          >
            {presets.map((item) => (
              <option key={item.id} value={item.id}>
                {item.label}
              </option>
            ))}
            <option value="custom" disabled={preset !== "custom"}>
              Custom dates
            </option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={params.from}
            max={params.to}
            onChange={(event) => {
              const from = event.target.value;
              if (from && from <= params.to) onChange({ ...params, from });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={params.to}
            min={params.from}
            onChange={(event) => {
              const to = event.target.value;
              if (to && to >= params.from) onChange({ ...params, to });
            }}
          />
        </div>
        {HAS_INTERVAL.has(params.report) && (
          <div className="field">
            <label htmlFor={`${id}-interval`}>{params.report === "net-worth" ? "A point each" : "Grouped by"}</label>
            <select
              id={`${id}-interval`}
              value={params.interval}
              onChange={(event) => onChange({ ...params, interval: event.target.value as Interval })}
            >
              {INTERVALS.map((item) => (
                <option key={item.value} value={item.value}>
                  {item.label}
                </option>
              ))}
            </select>
          </div>
        )}
        {HAS_DIRECTION.has(params.report) && (
          <div className="field">
            <label htmlFor={`${id}-direction`}>Money</label>
            <select
              id={`${id}-direction`}
              value={params.direction}
              onChange={(event) => onChange({ ...params, direction: event.target.value as Direction })}
            >
              <option value="SPENDING">Spending</option>
              <option value="INCOME">Income</option>
            </select>
          </div>
        )}
        {HAS_CHART.has(params.report) && (
          <div className="view-toggle" role="group" aria-label="Show the report as">
            <button type="button" className="button button-small" aria-pressed={view === "chart"} onClick={() => onViewChange("chart")}>
              Chart
            </button>
            <button type="button" className="button button-small" aria-pressed={view === "table"} onClick={() => onViewChange("table")}>
              Table
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
