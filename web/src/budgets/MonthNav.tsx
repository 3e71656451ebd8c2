import { Link } from "react-router";
import { formatMonth } from "../dates";
import { addMonths, isMonthText } from "./months";

/** The month shown, with the months either side (ahead too) and the way back to this one. */
export function MonthNav({ month, current }: { month: string; current: string }) {
  const before = addMonths(month, -1);
  const after = addMonths(month, 1);
  return (
    <nav className="month-nav" aria-label="Months">
      {isMonthText(before) && (
        <Link className="button button-small month-prev" to={`?month=${before}`} aria-label={`Previous month, ${formatMonth(before)}`}>
          <span aria-hidden="true">← </span>
          {formatMonth(before)}
        </Link>
      )}
      <p className="month-current" aria-live="polite">
        {formatMonth(month)}
        {month === current ? <span className="tag">This month</span> : month > current ? <span className="tag">Ahead</span> : null}
      </p>
      {isMonthText(after) && (
        <Link className="button button-small month-next" to={`?month=${after}`} aria-label={`Next month, ${formatMonth(after)}`}>
          {formatMonth(after)}
          <span aria-hidden="true"> →</span>
        </Link>
      )}
      {month !== current && (
        <Link className="month-today" to="?">
          Back to this month
        </Link>
      )}
    </nav>
  );
}
