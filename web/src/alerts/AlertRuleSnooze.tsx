import { useId, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { AlertRuleSnoozeMutation } from "../__generated__/AlertRuleSnoozeMutation.graphql";
import type { AlertRuleSnoozeWakeMutation } from "../__generated__/AlertRuleSnoozeWakeMutation.graphql";
import { errorMessage } from "../api/errors";

const snoozeMutation = graphql`
  mutation AlertRuleSnoozeMutation($input: SnoozeAlertRuleInput!) {
    snoozeAlertRule(input: $input) {
      alertRule {
        id
        snoozedUntil
      }
    }
  }
`;

const wakeMutation = graphql`
  mutation AlertRuleSnoozeWakeMutation($input: UnsnoozeAlertRuleInput!) {
    unsnoozeAlertRule(input: $input) {
      alertRule {
        id
        snoozedUntil
      }
    }
  }
`;

/** How long a snooze lasts, as offered. */
export const SNOOZES: readonly { readonly label: string; readonly days: number }[] = [
  { label: "1 day", days: 1 },
  { label: "1 week", days: 7 },
  { label: "30 days", days: 30 },
];

function untilText(moment: string): string {
  return new Date(moment).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A rule's snooze: "snooze for…" while it is awake, "snoozed until … · wake now" while not. */
export function AlertRuleSnooze({
  ruleId,
  label,
  snoozedUntil,
  now = () => new Date(),
  onMessage,
  onError,
}: {
  ruleId: string;
  label: string;
  snoozedUntil: string | null;
  now?: () => Date;
  onMessage: (message: string) => void;
  onError: (message: string | null) => void;
}) {
  const [snooze, snoozing] = useMutation<AlertRuleSnoozeMutation>(snoozeMutation);
  const [wake, waking] = useMutation<AlertRuleSnoozeWakeMutation>(wakeMutation);
  const [days, setDays] = useState(String(SNOOZES[0]!.days));
  const selectId = useId();
  const asleep = snoozedUntil !== null && new Date(snoozedUntil) > now();

  function snoozeNow() {
    onError(null);
    const until = new Date(now().getTime() + Number(days) * 86_400_000).toISOString();
    snooze({
      variables: { input: { id: ruleId, until } },
      onCompleted: ({ snoozeAlertRule }) =>
        onMessage(`${label} alert snoozed until ${untilText(String(snoozeAlertRule.alertRule.snoozedUntil))}.`),
      onError: (failure) => onError(errorMessage(failure)),
    });
  }

  function wakeNow() {
    onError(null);
    wake({
      variables: { input: { id: ruleId } },
      onCompleted: () => onMessage(`${label} alert woken.`),
      onError: (failure) => onError(errorMessage(failure)),
    });
  }

  if (asleep) {
    return (
      <p className="alert-snooze">
        <span className="alert-snoozed">Snoozed until {untilText(snoozedUntil)}</span>
        <button type="button" className="button button-small" onClick={wakeNow} disabled={waking}>
          Wake now
        </button>
      </p>
    );
  }
  return (
    <p className="alert-snooze">
      <label htmlFor={selectId}>Snooze for</label>
      <select id={selectId} value={days} onChange={(e) => setDays(e.target.value)}>
        {SNOOZES.map((choice) => (
          <option key={choice.days} value={choice.days}>
            {choice.label}
          </option>
        ))}
      </select>
      <button type="button" className="button button-small" onClick={snoozeNow} disabled={snoozing} aria-label={`Snooze the ${label} alert`}>
        Snooze
      </button>
    </p>
  );
}
