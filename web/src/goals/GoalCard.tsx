import { useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { GoalCard_goal$key } from "../__generated__/GoalCard_goal.graphql";
import type { GoalCardDeleteMutation } from "../__generated__/GoalCardDeleteMutation.graphql";
import type { GoalCardPauseMutation } from "../__generated__/GoalCardPauseMutation.graphql";
import type { GoalCardResumeMutation } from "../__generated__/GoalCardResumeMutation.graphql";
import { errorMessage } from "../api/errors";
import { InlineConfirm } from "../components/InlineConfirm";
import { ProgressBar } from "../components/ProgressBar";
import { useReturnFocus } from "../components/useReturnFocus";
import { formatDate } from "../dates";
import { formatMoney } from "../money/format";
import { ContributeForm } from "./ContributeForm";
import { GoalForm, type GoalOptions } from "./GoalForm";
import { fundingText, paceBadge } from "./pace";
import { removeGoalFromList } from "./store";

const fragment = graphql`
  fragment GoalCard_goal on Goal {
    id
    name
    status
    onTrack
    funding
    progress
    targetDate
    projectedDate
    pausedAt
    targetAmount {
      amount
      currency
    }
    savedAmount {
      amount
      currency
    }
    monthlyAmountNeeded {
      amount
      currency
    }
    account {
      id
      name
    }
    category {
      id
      name
    }
  }
`;

const pauseMutation = graphql`
  mutation GoalCardPauseMutation($input: PauseGoalInput!) {
    pauseGoal(input: $input) {
      goal {
        ...GoalCard_goal
      }
    }
  }
`;

const resumeMutation = graphql`
  mutation GoalCardResumeMutation($input: ResumeGoalInput!) {
    resumeGoal(input: $input) {
      goal {
        ...GoalCard_goal
      }
    }
  }
`;

const deleteMutation = graphql`
  mutation GoalCardDeleteMutation($input: DeleteGoalInput!) {
    deleteGoal(input: $input) {
      deletedGoalId
    }
  }
`;

type Panel = "none" | "contribute" | "edit" | "delete";

function projectionText(goal: {
  status: string;
  targetDate: string | null | undefined;
  projectedDate: string | null | undefined;
}): string {
  if (goal.status === "REACHED") return "Reached.";
  if (goal.status === "PAUSED") return "Paused: no projection while it waits.";
  if (!goal.projectedDate) return "No projection yet: it takes some days of saving to see your pace.";
  const when = formatDate(goal.projectedDate);
  if (goal.targetDate && goal.projectedDate > goal.targetDate) return `${when} at this pace: after the target date.`;
  return `${when} at this pace.`;
}

/** One goal: how far along it is, what it takes each month, and what can be done with it. */
export function GoalCard({
  goal: key,
  options,
  today,
  onMessage,
  onDeleted,
}: {
  goal: GoalCard_goal$key;
  options: GoalOptions;
  today: string;
  onMessage: (message: string) => void;
  /** The card is gone with its buttons: the page says so and takes the focus. */
  onDeleted: (message: string) => void;
}) {
  const goal = useFragment(fragment, key);
  const [panel, setPanel] = useState<Panel>("none");
  const [error, setError] = useState<string | null>(null);
  const [pause, pausing] = useMutation<GoalCardPauseMutation>(pauseMutation);
  const [resume, resuming] = useMutation<GoalCardResumeMutation>(resumeMutation);
  const [remove, removing] = useMutation<GoalCardDeleteMutation>(deleteMutation);
  const control = useReturnFocus(panel === "none" ? null : panel);

  const saved = formatMoney(goal.savedAmount);
  const target = formatMoney(goal.targetAmount);
  const percent = Math.round(Math.min(Math.max(goal.progress, 0), 1) * 100);
  const badge = paceBadge(goal.onTrack);
  const paused = goal.status === "PAUSED";

  function open(next: Panel) {
    setError(null);
    setPanel(next);
  }

  /** Back where the person was: on the button that opened the panel. */
  function close(message?: string) {
    setPanel("none");
    if (message) onMessage(message);
  }

  function togglePause() {
    setError(null);
    const input = { input: { id: goal.id } };
    const onError = (failure: Error) => setError(errorMessage(failure));
    if (paused) {
      resume({ variables: input, onCompleted: () => onMessage(`“${goal.name}” resumed.`), onError });
    } else {
      pause({ variables: input, onCompleted: () => onMessage(`“${goal.name}” paused.`), onError });
    }
  }

  function confirmDelete() {
    const name = goal.name;
    remove({
      variables: { input: { id: goal.id } },
      updater: (store) => removeGoalFromList(store, goal.id),
      onCompleted: () => onDeleted(`Goal “${name}” deleted.`),
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  return (
    <li className="card goal-card">
      <div className="goal-head">
        <h2>{goal.name}</h2>
        <span className={`status status-${badge.tone}`}>{badge.label}</span>
      </div>
      <p className="muted goal-funding">{fundingText(goal.funding, goal.account, goal.category)}</p>
      <div className="progress-row">
        <span className="progress-figure">
          {saved} of {target}
        </span>
        <span className="progress-figure">{percent}%</span>
      </div>
      <ProgressBar
        ratio={goal.progress}
        tone={goal.status === "REACHED" ? "done" : "normal"}
        label={`${goal.name} goal`}
        valueText={`${percent}%: ${saved} saved of ${target}`}
      />
      <dl className="facts goal-facts">
        <dt>Target date</dt>
        <dd>{goal.targetDate ? formatDate(goal.targetDate) : "None set"}</dd>
        <dt>Needed each month</dt>
        <dd>{goal.monthlyAmountNeeded ? formatMoney(goal.monthlyAmountNeeded) : "Set a target date to see it"}</dd>
        <dt>Projected</dt>
        <dd>{projectionText(goal)}</dd>
      </dl>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
      {panel === "none" && (
        <div className="actions">
          {goal.funding === "CONTRIBUTIONS" && goal.status !== "REACHED" && (
            <button
              type="button"
              className="button button-small button-primary"
              aria-label={`Contribute to ${goal.name}`}
              ref={control("contribute")}
              onClick={() => open("contribute")}
            >
              Contribute
            </button>
          )}
          <button
            type="button"
            className="button button-small"
            aria-label={`Edit ${goal.name}`}
            ref={control("edit")}
            onClick={() => open("edit")}
          >
            Edit
          </button>
          {goal.status !== "REACHED" && (
            <button
              type="button"
              className="button button-small"
              aria-label={`${paused ? "Resume" : "Pause"} ${goal.name}`}
              disabled={pausing || resuming}
              onClick={togglePause}
            >
              {paused ? "Resume" : "Pause"}
            </button>
          )}
          <button
            type="button"
            className="button button-small button-danger-quiet"
            aria-label={`Delete ${goal.name}`}
            ref={control("delete")}
            onClick={() => open("delete")}
          >
            Delete
          </button>
        </div>
      )}
      {panel === "contribute" && (
        <ContributeForm
          goalId={goal.id}
          goalName={goal.name}
          currency={goal.targetAmount.currency}
          today={today}
          onDone={close}
          onCancel={() => close()}
        />
      )}
      {panel === "edit" && <GoalForm options={options} goal={goal} onDone={close} onCancel={() => close()} />}
      {panel === "delete" && (
        <InlineConfirm
          question={`Delete “${goal.name}” and its contributions?`}
          confirmLabel="Delete goal"
          busy={removing}
          onConfirm={confirmDelete}
          onCancel={() => close()}
        />
      )}
    </li>
  );
}
