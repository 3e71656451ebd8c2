import { useId } from "react";

export interface TableRow {
  readonly key: string;
  readonly header: string;
  readonly cells: readonly string[];
}

/**
 * A report's figures as a table: a header per column, a header per row. When shown, it scrolls
 * sideways inside its own region (reachable with Tab, so the keyboard scrolls it too); when it
 * stands in for a chart for screen readers alone, it is visually hidden and out of the tab order.
 */
export function DataTable({
  caption,
  corner,
  columns,
  rows,
  foot,
  hidden = false,
}: {
  caption: string;
  corner: string;
  columns: readonly string[];
  rows: readonly TableRow[];
  foot?: TableRow;
  hidden?: boolean;
}) {
  const captionId = useId();
  const table = (
    <table className="data-table">
      <caption id={captionId}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{corner}</th>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.header}</th>
            {row.cells.map((cell, index) => (
              <td key={columns[index] ?? index}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
      {foot && (
        <tfoot>
          <tr>
            <th scope="row">{foot.header}</th>
            {foot.cells.map((cell, index) => (
              <td key={columns[index] ?? index}>{cell}</td>
            ))}
          </tr>
        </tfoot>
      )}
    </table>
  );
  if (hidden) return <div className="visually-hidden">{table}</div>;
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      {table}
    </div>
  );
}
