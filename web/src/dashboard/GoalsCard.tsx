import { graphql, useFragment } from "react-relay";
import type { GoalsCard_query$key } from "../__generated__/GoalsCard_query.graphql";
import { ProgressBar } from "../components/ProgressBar";
import { formatDate } from "../dates";
import { formatMoney } from "../money/format";

const fragment = graphql`
  fragment GoalsCard_query on Query {
    goals {
      id
      name
      progress
      targetDate
      projectedDate
      targetAmount {
        amount
        currency
      }
      savedAmount {
        amount
        currency
      }
    }
  }
`;

function projection(goal: { progress: number; targetDate: string | null | undefined; projectedDate: string | null | undefined }): string {
  if (goal.progress >= 1) return "Reached";
  if (!goal.projectedDate) return "No projection yet: it needs a contribution or two.";
  const when = formatDate(goal.projectedDate);
  if (goal.targetDate && goal.projectedDate > goal.targetDate) return `At this pace ${when}: later than planned.`;
  return `At this pace ${when}.`;
}

export function GoalsCard({ query }: { query: GoalsCard_query$key }) {
  const { goals } = useFragment(fragment, query);
  return (
    <section className="card area-goals" aria-labelledby="goals-heading">
      <h2 id="goals-heading">Goals</h2>
      {goals.length === 0 ? (
        <p className="empty">No goals yet.</p>
      ) : (
        <ul className="progress-list">
          {goals.map((goal) => {
            const saved = formatMoney(goal.savedAmount);
            const target = formatMoney(goal.targetAmount);
            const percent = Math.round(Math.min(goal.progress, 1) * 100);
            return (
              <li key={goal.id}>
                <div className="progress-row">
                  <span className="progress-name">{goal.name}</span>
                  <span className="progress-figure">
                    {saved} of {target}
                  </span>
                </div>
                <ProgressBar
                  ratio={goal.progress}
                  tone={goal.progress >= 1 ? "done" : "normal"}
                  label={`${goal.name} goal`}
                  valueText={`${percent}%: ${saved} saved of ${target}`}
                />
                <p className="progress-note">
                  {goal.targetDate ? `Target ${formatDate(goal.targetDate)}. ` : ""}
                  {projection(goal)}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
