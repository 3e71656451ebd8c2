import { type FormEvent, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { AlertKind, AlertRuleFormCreateMutation } from "../__generated__/AlertRuleFormCreateMutation.graphql";
import type { AlertRuleFormUpdateMutation } from "../__generated__/AlertRuleFormUpdateMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { currencyOptions } from "../currencies";
import { amountForApi } from "../money/input";
import { ALERT_KINDS, kindInfo, type RuleShape } from "./kinds";
import { addRuleToList } from "./store";

const createMutation = graphql`
  mutation AlertRuleFormCreateMutation($input: CreateAlertRuleInput!) {
    createAlertRule(input: $input) {
      alertRule {
        id
        kind
        ...AlertRuleItem_rule
      }
    }
  }
`;

const updateMutation = graphql`
  mutation AlertRuleFormUpdateMutation($input: UpdateAlertRuleInput!) {
    updateAlertRule(input: $input) {
      alertRule {
        id
        kind
        ...AlertRuleItem_rule
      }
    }
  }
`;

export interface RuleOptions {
  readonly baseCurrency: string;
  /** Categories a rule may watch (the hidden ones are left out). */
  readonly categories: readonly { readonly id: string; readonly name: string; readonly group: string }[];
}

const FIELDS = ["kind", "threshold", "currency", "categoryId"];
const NO_ERRORS: FormErrors = { fields: {}, general: [] };
const EVERY_CATEGORY = "";

/** A new alert rule, or a change to one: its kind (new rules only) and that kind's parameters. */
export function AlertRuleForm({
  options,
  rule,
  onDone,
  onCancel,
}: {
  options: RuleOptions;
  rule?: RuleShape & { readonly id: string };
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [create, creating] = useMutation<AlertRuleFormCreateMutation>(createMutation);
  const [update, updating] = useMutation<AlertRuleFormUpdateMutation>(updateMutation);
  const creatable = ALERT_KINDS.filter((info) => info.editable);
  const [kind, setKind] = useState(rule?.kind ?? creatable[0]?.kind ?? "");
  const [threshold, setThreshold] = useState(rule?.threshold?.amount ?? "");
  const [currency, setCurrency] = useState(rule?.threshold?.currency ?? options.baseCurrency);
  const [categoryId, setCategoryId] = useState(rule?.categoryId ?? EVERY_CATEGORY);
  const [currencies] = useState(() => currencyOptions());
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const info = kindInfo(kind);
  const saving = creating || updating;

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    const parameters = {
      ...(info.threshold ? { threshold: amountForApi(threshold), currency } : {}),
      ...(info.category ? { categoryId: categoryId || null } : {}),
    };
    const onError = (error: Error) => setErrors(formErrors(error, FIELDS));
    if (rule) {
      update({
        variables: { input: { id: rule.id, ...parameters } },
        onCompleted: ({ updateAlertRule }) => onDone(`${kindInfo(updateAlertRule.alertRule.kind).label} alert saved.`),
        onError,
      });
      return;
    }
    create({
      variables: { input: { kind: kind as AlertKind, ...parameters } },
      updater: (store) => addRuleToList(store, store.getRootField("createAlertRule")?.getLinkedRecord("alertRule")),
      onCompleted: ({ createAlertRule }) => onDone(`${kindInfo(createAlertRule.alertRule.kind).label} alert created.`),
      onError,
    });
  }

  return (
    <form className="form alert-form" onSubmit={submit} noValidate>
      <FormAlert messages={errors.general} />
      {rule ? (
        <p className="muted">{info.summary}</p>
      ) : (
        <Field label="Alert me about" error={errors.fields.kind} hint={info.summary}>
          {(props) => (
            <select {...props} value={kind} onChange={(e) => setKind(e.target.value)}>
              {creatable.map((item) => (
                <option key={item.kind} value={item.kind}>
                  {item.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {info.threshold && (
        <div className="form-row">
          <Field label="Threshold" error={errors.fields.threshold} hint="Money out of this much or more.">
            {(props) => (
              <input {...props} inputMode="decimal" autoComplete="off" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
            )}
          </Field>
          <Field label="Currency" error={errors.fields.currency}>
            {(props) => (
              <select {...props} value={currency} onChange={(e) => setCurrency(e.target.value)}>
                {currencies.map(({ code, name }) => (
                  <option key={code} value={code}>
                    {code} · {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      {info.category && (
        <Field label="Category" error={errors.fields.categoryId}>
          {(props) => (
            <select {...props} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value={EVERY_CATEGORY}>Every category</option>
              {options.categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.group} · {category.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Saving…" : rule ? "Save alert" : "Create alert"}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
