/** A progress bar that says its value to assistive technology, not only with its width. */
export function ProgressBar({
  ratio,
  label,
  valueText,
  tone = "normal",
}: {
  ratio: number;
  label: string;
  valueText: string;
  tone?: "normal" | "over" | "done";
}) {
  const percent = Number.isFinite(ratio) ? Math.round(ratio * 100) : 100;
  const width = Math.min(Math.max(percent, 0), 100);
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.min(Math.max(percent, 0), 100)}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={{ width: `${width}%` }} />
    </div>
  );
}
