import { type FormEvent, useState } from "react";
import { graphql } from "react-relay";
import type { AlertKind, AlertRuleFormCreateMutation } from "../__generated__/AlertRuleFormCreateMutation.graphql";
import type { AlertRuleFormUpdateMutation } from "../__generated__/AlertRuleFormUpdateMutation.graphql";
import { Field, FormAlert } from "../components/Field";
import { CategoryOptions, CurrencyField } from "../components/Choices";
import { FormActions, useSaveForm } from "../components/useSaveForm";
import { amountForApi } from "../money/input";
import { ALERT_KINDS, CHANNELS, DEFAULT_CHANNELS, kindInfo, parsePercents, type RuleShape } from "./kinds";
import type { AlertChannel } from "../__generated__/AlertRuleFormCreateMutation.graphql";
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
  /** Accounts and tags a rule may be limited to. */
  readonly accounts: readonly { readonly id: string; readonly name: string }[];
  readonly tags: readonly { readonly id: string; readonly name: string }[];
}

const FIELDS = [
  "kind",
  "threshold",
  "currency",
  "categoryId",
  "accountId",
  "tagId",
  "percents",
  "daysAhead",
  "factor",
  "trailingMonths",
  "channels",
];
const EVERY_CATEGORY = "";
const EVERY_ONE = "";

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

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
  const { create, update, saving, errors, setErrors, onError } = useSaveForm<AlertRuleFormCreateMutation, AlertRuleFormUpdateMutation>(
    createMutation,
    updateMutation,
    FIELDS,
  );
  const creatable = ALERT_KINDS.filter((info) => info.editable);
  const [kind, setKind] = useState(rule?.kind ?? creatable[0]?.kind ?? "");
  const [threshold, setThreshold] = useState(rule?.threshold?.amount ?? "");
  const [currency, setCurrency] = useState(rule?.threshold?.currency ?? options.baseCurrency);
  const [categoryId, setCategoryId] = useState(rule?.categoryId ?? EVERY_CATEGORY);
  const [accountId, setAccountId] = useState(rule?.accountId ?? EVERY_ONE);
  const [tagId, setTagId] = useState(rule?.tagId ?? EVERY_ONE);
  const [percents, setPercents] = useState((rule?.percents ?? kindInfo(kind).percents ?? []).join(", "));
  const [daysAhead, setDaysAhead] = useState(String(rule?.daysAhead ?? kindInfo(kind).daysAhead ?? ""));
  const [factor, setFactor] = useState(rule?.factor ?? kindInfo(kind).factor ?? "");
  const [trailingMonths, setTrailingMonths] = useState(String(rule?.trailingMonths ?? kindInfo(kind).trailingMonths ?? ""));
  const [channels, setChannels] = useState<readonly string[]>(rule?.channels ?? DEFAULT_CHANNELS);
  const info = kindInfo(kind);

  function chooseKind(next: string) {
    setKind(next);
    // A new kind starts from its own defaults.
    const chosen = kindInfo(next);
    setPercents((chosen.percents ?? []).join(", "));
    setDaysAhead(String(chosen.daysAhead ?? ""));
    setFactor(chosen.factor ?? "");
    setTrailingMonths(String(chosen.trailingMonths ?? ""));
  }

  function toggleChannel(channel: string, on: boolean) {
    setChannels((current) => (on ? [...current, channel] : current.filter((item) => item !== channel)));
  }

  /** What the form can tell before asking the API (the API checks everything again). */
  function localErrors(): Record<string, string> {
    const found: Record<string, string> = {};
    if (info.percents && parsePercents(percents) === null) found.percents = "Whole percents, separated by commas";
    if (info.daysAhead !== undefined && wholeNumber(daysAhead) === null) found.daysAhead = "A whole number of days";
    if (info.trailingMonths !== undefined && wholeNumber(trailingMonths) === null) found.trailingMonths = "A whole number of months";
    if (channels.length === 0) found.channels = "Choose at least one way to be told";
    return found;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = localErrors();
    setErrors({ fields: local, general: [] });
    if (Object.keys(local).length > 0) return;
    const parameters = {
      ...(info.threshold ? { threshold: amountForApi(threshold), currency } : {}),
      ...(info.category ? { categoryId: categoryId || null } : {}),
      ...(info.account ? { accountId: accountId || null } : {}),
      ...(info.tag ? { tagId: tagId || null } : {}),
      ...(info.percents ? { percents: parsePercents(percents) } : {}),
      ...(info.daysAhead !== undefined ? { daysAhead: wholeNumber(daysAhead) } : {}),
      ...(info.factor !== undefined ? { factor: factor.trim() } : {}),
      ...(info.trailingMonths !== undefined ? { trailingMonths: wholeNumber(trailingMonths) } : {}),
      channels: CHANNELS.map(({ channel }) => channel).filter((channel) => channels.includes(channel)) as AlertChannel[],
    };
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
            <select {...props} value={kind} onChange={(e) => chooseKind(e.target.value)}>
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
          <Field label="Threshold" error={errors.fields.threshold} hint={info.thresholdHint}>
            {(props) => (
              <input {...props} inputMode="decimal" autoComplete="off" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
            )}
          </Field>
          <CurrencyField value={currency} onChange={setCurrency} error={errors.fields.currency} />
        </div>
      )}
      {info.category && (
        <Field label="Category" error={errors.fields.categoryId}>
          {(props) => (
            <select {...props} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value={EVERY_CATEGORY}>Every category</option>
              <CategoryOptions categories={options.categories} />
            </select>
          )}
        </Field>
      )}
      {info.account && (
        <Field label="Account" error={errors.fields.accountId}>
          {(props) => (
            <select {...props} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value={EVERY_ONE}>Every account</option>
              {options.accounts.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {info.tag && (
        <Field label="Tag" error={errors.fields.tagId}>
          {(props) => (
            <select {...props} value={tagId} onChange={(e) => setTagId(e.target.value)}>
              <option value={EVERY_ONE}>Any tag or none</option>
              {options.tags.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  {tag.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {info.percents && (
        <Field label="Percents" error={errors.fields.percents} hint={info.percentsHint}>
          {(props) => <input {...props} inputMode="numeric" autoComplete="off" value={percents} onChange={(e) => setPercents(e.target.value)} />}
        </Field>
      )}
      {info.daysAhead !== undefined && (
        <Field label="Days ahead" error={errors.fields.daysAhead} hint="0 to 30: how many days before the bill's date.">
          {(props) => <input {...props} inputMode="numeric" autoComplete="off" value={daysAhead} onChange={(e) => setDaysAhead(e.target.value)} />}
        </Field>
      )}
      {info.factor !== undefined && (
        <div className="form-row">
          <Field label="Times the average" error={errors.fields.factor} hint="More than 1, e.g. 1.5.">
            {(props) => <input {...props} inputMode="decimal" autoComplete="off" value={factor} onChange={(e) => setFactor(e.target.value)} />}
          </Field>
          <Field label="Months averaged" error={errors.fields.trailingMonths} hint="1 to 12.">
            {(props) => (
              <input {...props} inputMode="numeric" autoComplete="off" value={trailingMonths} onChange={(e) => setTrailingMonths(e.target.value)} />
            )}
          </Field>
        </div>
      )}
      <fieldset className="alert-channels" aria-describedby={errors.fields.channels ? "alert-channels-error" : undefined}>
        <legend>Tell me by</legend>
        {CHANNELS.map(({ channel, label }) => (
          <label key={channel} className="checkbox">
            <input type="checkbox" checked={channels.includes(channel)} onChange={(e) => toggleChannel(channel, e.target.checked)} />
            {label}
          </label>
        ))}
        {errors.fields.channels && (
          <p className="field-error" id="alert-channels-error">
            {errors.fields.channels}
          </p>
        )}
      </fieldset>
      <FormActions saving={saving} label={rule ? "Save alert" : "Create alert"} onCancel={onCancel} />
    </form>
  );
}
