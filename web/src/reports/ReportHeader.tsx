import { Money } from "../components/Money";
import type { MoneyValue } from "../money/format";

/** A report's name and its headline figure. */
export function ReportHeader({ title, total, label = "Total" }: { title: string; total?: MoneyValue; label?: string }) {
  return (
    <div className="report-header">
      <h2>{title}</h2>
      {total && (
        <p className="report-total">
          {label}: <Money value={total} />
        </p>
      )}
    </div>
  );
}
