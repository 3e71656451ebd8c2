import { type FormEvent, useId, useState } from "react";
import { graphql } from "react-relay";
import type { GoalFormCreateMutation } from "../__generated__/GoalFormCreateMutation.graphql";
import type { GoalFormUpdateMutation } from "../__generated__/GoalFormUpdateMutation.graphql";
import { Field, FormAlert } from "../components/Field";
import { CategoryOptions, CurrencyField } from "../components/Choices";
import { FormActions, useSaveForm } from "../components/useSaveForm";
import { amountForApi } from "../money/input";
import type { GoalFundingValue } from "./pace";
import { addGoalToList } from "./store";

const createMutation = graphql`
  mutation GoalFormCreateMutation($input: CreateGoalInput!) {
    createGoal(input: $input) {
      goal {
        id
        name
        ...GoalCard_goal
      }
    }
  }
`;

const updateMutation = graphql`
  mutation GoalFormUpdateMutation($input: UpdateGoalInput!) {
    updateGoal(input: $input) {
      goal {
        id
        name
        ...GoalCard_goal
      }
    }
  }
`;

/** What a goal can be funded by, and in: the user's accounts and categories, their base currency. */
export interface GoalOptions {
  readonly baseCurrency: string;
  readonly accounts: readonly { readonly id: string; readonly name: string; readonly currency: string }[];
  readonly categories: readonly { readonly id: string; readonly name: string; readonly group: string }[];
}

/** The goal being changed, as its card has it. */
export interface EditedGoal {
  readonly id: string;
  readonly name: string;
  readonly targetAmount: { readonly amount: string; readonly currency: string };
  readonly targetDate: string | null | undefined;
  readonly funding: GoalFundingValue;
  readonly account: { readonly id: string } | null | undefined;
  readonly category: { readonly id: string } | null | undefined;
}

const FIELDS = ["name", "targetAmount", "currency", "targetDate", "funding", "accountId", "categoryId"];
const FUNDINGS: readonly { value: Exclude<GoalFundingValue, "%future added value">; label: string }[] = [
  { value: "CONTRIBUTIONS", label: "Contributions I record" },
  { value: "ACCOUNT", label: "An account's balance" },
  { value: "CATEGORY", label: "A budget category" },
];

/** A new goal, or a change to one: its name, target, date and what counts as saved toward it. */
export function GoalForm({
  options,
  goal,
  onDone,
  onCancel,
}: {
  options: GoalOptions;
  goal?: EditedGoal;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { create, update, saving, errors, clearErrors, onError } = useSaveForm<GoalFormCreateMutation, GoalFormUpdateMutation>(
    createMutation,
    updateMutation,
    FIELDS,
  );
  const [name, setName] = useState(goal?.name ?? "");
  const [target, setTarget] = useState(goal?.targetAmount.amount ?? "");
  const [targetDate, setTargetDate] = useState(goal?.targetDate ?? "");
  const [funding, setFunding] = useState<GoalFundingValue>(goal?.funding ?? "CONTRIBUTIONS");
  const [accountId, setAccountId] = useState(goal?.account?.id ?? "");
  const [categoryId, setCategoryId] = useState(goal?.category?.id ?? "");
  const [currency, setCurrency] = useState(options.baseCurrency);
  const fundingName = useId();
  // An edited goal keeps its currency: only accounts in it can fund it.
  const accounts = goal ? options.accounts.filter((a) => a.currency === goal.targetAmount.currency) : options.accounts;

  function submit(event: FormEvent) {
    event.preventDefault();
    clearErrors();
    const fundedBy = {
      ...(funding === "ACCOUNT" ? { accountId: accountId || null } : {}),
      ...(funding === "CATEGORY" ? { categoryId: categoryId || null } : {}),
    };
    if (goal) {
      const fundingChanged =
        funding !== goal.funding ||
        (funding === "ACCOUNT" && accountId !== goal.account?.id) ||
        (funding === "CATEGORY" && categoryId !== goal.category?.id);
      update({
        variables: {
          input: {
            id: goal.id,
            name,
            targetAmount: amountForApi(target),
            targetDate: targetDate || null,
            ...(fundingChanged ? { funding, ...fundedBy } : {}),
          },
        },
        onCompleted: ({ updateGoal }) => onDone(`Saved “${updateGoal.goal.name}”.`),
        onError,
      });
      return;
    }
    create({
      variables: {
        input: {
          name,
          targetAmount: amountForApi(target),
          targetDate: targetDate || null,
          funding,
          ...fundedBy,
          ...(funding === "CONTRIBUTIONS" ? { currency } : {}),
        },
      },
      updater: (store) => addGoalToList(store, store.getRootField("createGoal")?.getLinkedRecord("goal")),
      onCompleted: ({ createGoal }) => onDone(`Goal “${createGoal.goal.name}” created.`),
      onError,
    });
  }

  return (
    <form className="form goal-form" onSubmit={submit} noValidate>
      <FormAlert messages={errors.general} />
      <Field label="Name" error={errors.fields.name}>
        {(props) => <input {...props} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />}
      </Field>
      <div className="form-row">
        <Field
          label="Target amount"
          error={errors.fields.targetAmount}
          hint={goal ? `In ${goal.targetAmount.currency}.` : undefined}
        >
          {(props) => (
            <input {...props} inputMode="decimal" autoComplete="off" value={target} required onChange={(e) => setTarget(e.target.value)} />
          )}
        </Field>
        {!goal && funding === "CONTRIBUTIONS" && (
          <CurrencyField value={currency} onChange={setCurrency} error={errors.fields.currency} />
        )}
      </div>
      <Field label="Target date (optional)" error={errors.fields.targetDate} hint="When you want to have it: the monthly amount needed counts toward it.">
        {(props) => <input {...props} type="date" value={targetDate} onChange={(e) => setTargetDate(e.target.value)} />}
      </Field>
      <fieldset className="choice" aria-describedby={errors.fields.funding ? `${fundingName}-error` : undefined}>
        <legend>What counts as saved</legend>
        {FUNDINGS.map((option) => (
          <label key={option.value} className="choice-option">
            <input
              type="radio"
              name={fundingName}
              value={option.value}
              checked={funding === option.value}
              onChange={() => setFunding(option.value)}
            />
            {option.label}
          </label>
        ))}
        {errors.fields.funding && (
          <p className="field-error" id={`${fundingName}-error`}>
            {errors.fields.funding}
          </p>
        )}
      </fieldset>
      {funding === "ACCOUNT" && (
        <Field
          label="Account"
          error={errors.fields.accountId}
          hint={goal ? `Accounts in ${goal.targetAmount.currency}; the goal counts their balance.` : "The goal counts its balance, in its currency."}
        >
          {(props) => (
            <select {...props} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">Choose an account…</option>
              {accounts.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.name} ({account.currency})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {funding === "CATEGORY" && (
        <Field
          label="Budget category"
          error={errors.fields.categoryId}
          hint={`What you budget for it, less what is spent in it, counts (in ${options.baseCurrency}).`}
        >
          {(props) => (
            <select {...props} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value="">Choose a category…</option>
              <CategoryOptions categories={options.categories} />
            </select>
          )}
        </Field>
      )}
      <FormActions saving={saving} label={goal ? "Save goal" : "Create goal"} onCancel={onCancel} />
    </form>
  );
}
