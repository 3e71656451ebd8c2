import { graphql, useLazyLoadQuery } from "react-relay";
import type { GoalsPageQuery } from "../__generated__/GoalsPageQuery.graphql";
import { CreatePanel, NewButton, StatusLine, useCreatePanel } from "../components/CreatePanel";
import { Page } from "../components/Page";
import "../components/controls.css";
import "../goals/goals.css";
import { todayIn } from "../dates";
import { GoalCard } from "../goals/GoalCard";
import { GoalForm, type GoalOptions } from "../goals/GoalForm";
import { useViewer } from "../shell/viewer";

const query = graphql`
  query GoalsPageQuery {
    goals {
      id
      ...GoalCard_goal
    }
    accounts {
      id
      name
      currency
    }
    categories {
      id
      name
      group
      kind
    }
    ledgerSettings {
      baseCurrency
    }
  }
`;

/** Every goal with its progress and projection; new ones made here. */
export default function GoalsPage() {
  const { timeZone } = useViewer();
  const data = useLazyLoadQuery<GoalsPageQuery>(query, {}, { fetchPolicy: "store-and-network" });
  const panel = useCreatePanel();
  const today = todayIn(timeZone);
  const options: GoalOptions = {
    baseCurrency: data.ledgerSettings.baseCurrency,
    accounts: data.accounts,
    categories: data.categories.filter((category) => category.kind === "EXPENSE"),
  };

  return (
    <Page title="Goals" actions={<NewButton panel={panel}>New goal</NewButton>}>
      <StatusLine panel={panel} />
      <CreatePanel panel={panel} className="goal-new" title="New goal" headingId="new-goal-heading">
        <GoalForm options={options} onDone={panel.finish} onCancel={() => panel.finish()} />
      </CreatePanel>
      {data.goals.length === 0 ? (
        !panel.open && <p className="empty">No goals yet. Save toward something: choose “New goal”.</p>
      ) : (
        <ul className="goal-list">
          {data.goals.map((goal) => (
            <GoalCard
              key={goal.id}
              goal={goal}
              options={options}
              today={today}
              onMessage={panel.setMessage}
              onDeleted={panel.announce}
            />
          ))}
        </ul>
      )}
    </Page>
  );
}
