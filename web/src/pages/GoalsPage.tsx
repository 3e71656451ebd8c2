import { useRef, useState } from "react";
import { graphql, useLazyLoadQuery } from "react-relay";
import type { GoalsPageQuery } from "../__generated__/GoalsPageQuery.graphql";
import { Page } from "../components/Page";
import { useReturnFocus } from "../components/useReturnFocus";
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
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState("");
  const status = useRef<HTMLParagraphElement>(null);
  const control = useReturnFocus(creating ? "new" : null);
  const today = todayIn(timeZone);
  const options: GoalOptions = {
    baseCurrency: data.ledgerSettings.baseCurrency,
    accounts: data.accounts,
    categories: data.categories.filter((category) => category.kind === "EXPENSE"),
  };

  function finishCreating(result?: string) {
    setCreating(false);
    if (result) setMessage(result);
  }

  return (
    <Page
      title="Goals"
      actions={
        !creating && (
          <button
            ref={control("new")}
            type="button"
            className="button button-primary"
            onClick={() => {
              setMessage("");
              setCreating(true);
            }}
          >
            New goal
          </button>
        )
      }
    >
      <p className="saved" role="status" ref={status} tabIndex={-1}>
        {message}
      </p>
      {creating && (
        <section className="card goal-new" aria-labelledby="new-goal-heading">
          <h2 id="new-goal-heading">New goal</h2>
          <GoalForm options={options} onDone={finishCreating} onCancel={() => finishCreating()} />
        </section>
      )}
      {data.goals.length === 0 ? (
        !creating && <p className="empty">No goals yet. Save toward something: choose “New goal”.</p>
      ) : (
        <ul className="goal-list">
          {data.goals.map((goal) => (
            <GoalCard
              key={goal.id}
              goal={goal}
              options={options}
              today={today}
              onMessage={setMessage}
              onDeleted={(text) => {
                setMessage(text);
                status.current?.focus();
              }}
            />
          ))}
        </ul>
      )}
    </Page>
  );
}
