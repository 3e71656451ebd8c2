import { type FormEvent, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { AccountDialogCreateMutation, AccountType } from "../__generated__/AccountDialogCreateMutation.graphql";
import type { AccountDialogUpdateMutation } from "../__generated__/AccountDialogUpdateMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { currencyOptions } from "../currencies";
import { Dialog } from "./Dialog";
import { ACCOUNT_TYPES } from "./labels";

const createMutation = graphql`
  mutation AccountDialogCreateMutation($input: CreateAccountInput!) {
    createAccount(input: $input) {
      account {
        id
        name
        linked
        closedAt
        ...ManualAccounts_accounts
      }
    }
  }
`;

const updateMutation = graphql`
  mutation AccountDialogUpdateMutation($input: UpdateAccountInput!) {
    updateAccount(input: $input) {
      account {
        id
        ...ManualAccounts_accounts
      }
    }
  }
`;

/** A manual account as the form edits it. */
export interface EditedAccount {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly currency: string;
  readonly institutionLabel: string | null;
  readonly openingBalance: string;
}

const FIELDS = ["name", "type", "currency", "openingBalance", "institutionLabel"];
const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Add a manual account, or edit one (its currency is fixed once it exists). */
export function AccountDialog({
  account,
  baseCurrency,
  onClose,
  onSaved,
}: {
  account: EditedAccount | null;
  baseCurrency: string;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const [create, creating] = useMutation<AccountDialogCreateMutation>(createMutation);
  const [update, updating] = useMutation<AccountDialogUpdateMutation>(updateMutation);
  const [name, setName] = useState(account?.name ?? "");
  const [type, setType] = useState<string>(account?.type ?? "CHECKING");
  const [currency, setCurrency] = useState(account?.currency ?? baseCurrency);
  const [openingBalance, setOpeningBalance] = useState(account?.openingBalance ?? "");
  const [label, setLabel] = useState(account?.institutionLabel ?? "");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [currencies] = useState(() => currencyOptions());
  const saving = creating || updating;

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    const opening = openingBalance.trim();
    const onError = (failure: Error) => setErrors(formErrors(failure, FIELDS));
    if (account) {
      update({
        variables: {
          input: {
            id: account.id,
            name,
            type: type as AccountType,
            institutionLabel: label.trim() || null,
            openingBalance: opening || "0",
          },
        },
        onCompleted: () => onSaved(`${name.trim()} is saved.`),
        onError,
      });
      return;
    }
    create({
      variables: {
        input: {
          name,
          type: type as AccountType,
          currency,
          openingBalance: opening || null,
          institutionLabel: label.trim() || null,
        },
      },
      updater: (store) => {
        const added = store.getRootField("createAccount")?.getLinkedRecord("account");
        const root = store.getRoot();
        const listed = root.getLinkedRecords("accounts", { includeClosed: true });
        if (added && listed) root.setLinkedRecords([...listed, added], "accounts", { includeClosed: true });
      },
      onCompleted: () => onSaved(`${name.trim()} is added.`),
      onError,
    });
  }

  return (
    <Dialog title={account ? `Edit ${account.name}` : "Add an account"} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert messages={errors.general} />
        <Field label="Name" error={errors.fields.name}>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />}
        </Field>
        <Field label="Type" error={errors.fields.type}>
          {(props) => (
            <select {...props} value={type} onChange={(e) => setType(e.target.value)}>
              {ACCOUNT_TYPES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {account ? (
          <p className="muted">Currency: {account.currency} (fixed once the account exists).</p>
        ) : (
          <Field label="Currency" error={errors.fields.currency}>
            {(props) => (
              <select {...props} value={currency} onChange={(e) => setCurrency(e.target.value)}>
                {currencies.map(({ code, name: currencyName }) => (
                  <option key={code} value={code}>
                    {currencyName} ({code})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field
          label="Opening balance"
          error={errors.fields.openingBalance}
          hint="What the account held before the first transaction you record, e.g. 1250.00 (negative for money owed)."
        >
          {(props) => (
            <input {...props} value={openingBalance} onChange={(e) => setOpeningBalance(e.target.value)} inputMode="decimal" autoComplete="off" />
          )}
        </Field>
        <Field label="Where it is held (optional)" error={errors.fields.institutionLabel} hint="A bank's name, “Home”, “Wallet”…">
          {(props) => <input {...props} value={label} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />}
        </Field>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? "Saving…" : account ? "Save" : "Add account"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
