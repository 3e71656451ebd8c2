import { graphql, useFragment } from "react-relay";
import type { BudgetTable_month$key } from "../__generated__/BudgetTable_month.graphql";
import type { BudgetStyle } from "../__generated__/BudgetsPageQuery.graphql";
import { formatMonth } from "../dates";
import { BudgetLineRow } from "./BudgetLineRow";

const fragment = graphql`
  fragment BudgetTable_month on BudgetMonth {
    month
    lines {
      budget {
        id
      }
      category {
        id
        group
      }
      ...BudgetLineRow_line
    }
  }
`;

/** The month's expense categories under their groups, in the user's order. */
export function BudgetTable({ month, style, onChanged }: { month: BudgetTable_month$key; style: BudgetStyle; onChanged: () => void }) {
  const data = useFragment(fragment, month);
  const envelope = style === "ENVELOPE";
  if (data.lines.length === 0) {
    return <p className="empty">No expense categories to budget. Categories of kind “expense” show here.</p>;
  }
  const groups: { name: string; lines: (typeof data.lines)[number][] }[] = [];
  for (const line of data.lines) {
    const last = groups.at(-1);
    if (last && last.name === line.category.group) last.lines.push(line);
    else groups.push({ name: line.category.group, lines: [line] });
  }
  const unset = data.lines.every((line) => line.budget === null);
  return (
    <>
      {unset && (
        <p className="note">
          Nothing is {envelope ? "assigned" : "budgeted"} for {formatMonth(data.month)} yet: type amounts below, or copy the month before.
        </p>
      )}
      <table className="budget-table">
        <caption className="visually-hidden">
          {envelope ? "Assigned" : "Budgeted"}, carried, spent and left per category, {formatMonth(data.month)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">{envelope ? "Assigned" : "Budgeted"}</th>
            <th scope="col">Carried</th>
            <th scope="col">Spent</th>
            <th scope="col">{envelope ? "Available" : "Left"}</th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group.name}>
            <tr className="budget-group">
              <th scope="rowgroup" colSpan={5}>
                {group.name}
              </th>
            </tr>
            {group.lines.map((line) => (
              <BudgetLineRow key={line.category.id} line={line} month={data.month} style={style} onChanged={onChanged} />
            ))}
          </tbody>
        ))}
      </table>
    </>
  );
}
