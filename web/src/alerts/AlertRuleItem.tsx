import { useId, useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { AlertRuleItem_rule$key } from "../__generated__/AlertRuleItem_rule.graphql";
import type { AlertRuleItemDeleteMutation } from "../__generated__/AlertRuleItemDeleteMutation.graphql";
import type { AlertRuleItemSwitchMutation } from "../__generated__/AlertRuleItemSwitchMutation.graphql";
import { errorMessage } from "../api/errors";
import { InlineConfirm } from "../components/InlineConfirm";
import { useReturnFocus } from "../components/useReturnFocus";
import { AlertRuleForm, type RuleOptions } from "./AlertRuleForm";
import { AlertRuleSnooze } from "./AlertRuleSnooze";
import { CHANNELS, kindInfo, type Names } from "./kinds";
import { removeRuleFromList } from "./store";

const fragment = graphql`
  fragment AlertRuleItem_rule on AlertRule {
    id
    kind
    enabled
    categoryId
    accountId
    tagId
    percents
    daysAhead
    factor
    trailingMonths
    channels
    snoozedUntil
    threshold {
      amount
      currency
    }
  }
`;

const switchMutation = graphql`
  mutation AlertRuleItemSwitchMutation($input: UpdateAlertRuleInput!) {
    updateAlertRule(input: $input) {
      alertRule {
        id
        enabled
      }
    }
  }
`;

const deleteMutation = graphql`
  mutation AlertRuleItemDeleteMutation($input: DeleteAlertRuleInput!) {
    deleteAlertRule(input: $input) {
      deletedAlertRuleId
    }
  }
`;

type Panel = "none" | "edit" | "delete";

/** One alert rule: what it watches, on or off, and changing or deleting it. */
export function AlertRuleItem({
  rule: key,
  options,
  names,
  onMessage,
  onDeleted,
}: {
  rule: AlertRuleItem_rule$key;
  options: RuleOptions;
  names: Names;
  onMessage: (message: string) => void;
  onDeleted: (message: string) => void;
}) {
  const rule = useFragment(fragment, key);
  const info = kindInfo(rule.kind);
  const [panel, setPanel] = useState<Panel>("none");
  const [error, setError] = useState<string | null>(null);
  const [commitSwitch] = useMutation<AlertRuleItemSwitchMutation>(switchMutation);
  const [remove, removing] = useMutation<AlertRuleItemDeleteMutation>(deleteMutation);
  const control = useReturnFocus(panel === "none" ? null : panel);
  const description = info.describe(rule, names);
  const chosen: readonly string[] = rule.channels;
  const channels = CHANNELS.filter(({ channel }) => chosen.includes(channel)).map(({ label }) => label);
  const headingId = useId();

  function open(next: Panel) {
    setError(null);
    setPanel(next);
  }

  /** Back where the person was: on the button that opened the panel. */
  function close(message?: string) {
    setPanel("none");
    if (message) onMessage(message);
  }

  function toggle() {
    const enabled = !rule.enabled;
    setError(null);
    // Shown switched at once; put back if the server refuses.
    commitSwitch({
      variables: { input: { id: rule.id, enabled } },
      optimisticResponse: { updateAlertRule: { alertRule: { id: rule.id, enabled } } },
      onCompleted: () => onMessage(`${info.label} alert ${enabled ? "on" : "off"}.`),
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  function confirmDelete() {
    remove({
      variables: { input: { id: rule.id } },
      updater: (store) => removeRuleFromList(store, rule.id),
      onCompleted: () => onDeleted(`${info.label} alert deleted.`),
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  return (
    <li className={rule.enabled ? "card alert-rule" : "card alert-rule alert-rule-off"}>
      <div className="alert-rule-head">
        <div>
          <h2 id={`${headingId}-kind`}>{info.label}</h2>
          <p className="alert-rule-description" id={`${headingId}-what`}>
            {description}
          </p>
          <p className="muted alert-rule-channels">By: {channels.join(", ")}</p>
        </div>
        <button
          type="button"
          role="switch"
          className="switch"
          aria-checked={rule.enabled}
          aria-labelledby={`${headingId}-kind ${headingId}-what`}
          onClick={toggle}
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          {/* The state is aria-checked's to say; the words are for the eye. */}
          <span className="switch-text" aria-hidden="true">
            {rule.enabled ? "On" : "Off"}
          </span>
        </button>
      </div>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
      <AlertRuleSnooze ruleId={rule.id} label={info.label} snoozedUntil={rule.snoozedUntil ?? null} onMessage={onMessage} onError={setError} />
      {panel === "none" && (
        <div className="actions">
          {info.editable && (
            <button
              type="button"
              className="button button-small"
              aria-label={`Edit: ${description}`}
              ref={control("edit")}
              onClick={() => open("edit")}
            >
              Edit
            </button>
          )}
          <button
            type="button"
            className="button button-small button-danger-quiet"
            aria-label={`Delete: ${description}`}
            ref={control("delete")}
            onClick={() => open("delete")}
          >
            Delete
          </button>
        </div>
      )}
      {panel === "edit" && <AlertRuleForm options={options} rule={rule} onDone={close} onCancel={() => close()} />}
      {panel === "delete" && (
        <InlineConfirm
          question={`Delete this alert? ${description} Notifications it sent stay.`}
          confirmLabel="Delete alert"
          busy={removing}
          onConfirm={confirmDelete}
          onCancel={() => close()}
        />
      )}
    </li>
  );
}
