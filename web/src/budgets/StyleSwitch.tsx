import { useId, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { BudgetStyle } from "../__generated__/BudgetsPageQuery.graphql";
import type { StyleSwitchMutation } from "../__generated__/StyleSwitchMutation.graphql";
import { errorMessage } from "../api/errors";

const mutation = graphql`
  mutation StyleSwitchMutation($input: SetBudgetStyleInput!) {
    setBudgetStyle(input: $input) {
      ledgerSettings {
        baseCurrency
        budgetStyle
      }
    }
  }
`;

const STYLES: { style: BudgetStyle; label: string; hint: string }[] = [
  { style: "LIMITS", label: "Limits", hint: "A limit per category each month; with rollover, what is left or overspent carries on." },
  { style: "ENVELOPE", label: "Envelope", hint: "Assign the money you have to categories until nothing is ready to assign." },
];

/** How the user budgets. Switching keeps every amount: only how the months add up changes. */
export function StyleSwitch({ style, onChanged }: { style: BudgetStyle; onChanged: () => void }) {
  const id = useId();
  const [commit, saving] = useMutation<StyleSwitchMutation>(mutation);
  const [error, setError] = useState<string | null>(null);

  function choose(next: BudgetStyle) {
    if (next === style) return;
    setError(null);
    commit({
      variables: { input: { style: next } },
      // Chosen at once; Relay puts the old style back if the server refuses.
      optimisticUpdater: (store) => store.getRoot().getLinkedRecord("ledgerSettings")?.setValue(next, "budgetStyle"),
      // The settings have no id: point the root's field at the new values.
      updater: (store) => {
        const settings = store.getRootField("setBudgetStyle").getLinkedRecord("ledgerSettings");
        store.getRoot().setLinkedRecord(settings, "ledgerSettings");
      },
      onCompleted: onChanged,
      onError: (failure) => setError(errorMessage(failure)),
    });
  }

  return (
    <fieldset className="style-switch" disabled={saving} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Budgeting style</legend>
      <div className="style-options">
        {STYLES.map((option) => (
          <label key={option.style} className={option.style === style ? "style-option style-chosen" : "style-option"}>
            <input type="radio" name={`${id}-style`} checked={option.style === style} onChange={() => choose(option.style)} />
            <span>
              <span className="style-label">{option.label}</span>
              <span className="style-hint">{option.hint}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
