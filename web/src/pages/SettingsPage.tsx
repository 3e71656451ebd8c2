import { type FormEvent, useState } from "react";
import { graphql, useLazyLoadQuery, useMutation } from "react-relay";
import type { SettingsPageBaseCurrencyMutation } from "../__generated__/SettingsPageBaseCurrencyMutation.graphql";
import type { SettingsPageQuery } from "../__generated__/SettingsPageQuery.graphql";
import type { SettingsPageTimeZoneMutation } from "../__generated__/SettingsPageTimeZoneMutation.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { Page } from "../components/Page";
import "../components/controls.css";
import { currencyOptions, timeZoneOptions } from "../currencies";
import { DeleteAccount } from "../settings/DeleteAccount";
import { ExportData } from "../settings/ExportData";
import { PushNotifications } from "../settings/PushNotifications";
import { QuietHoursAndDigest } from "../settings/QuietHoursAndDigest";

const query = graphql`
  query SettingsPageQuery {
    me {
      id
      email
      timeZone
    }
    ledgerSettings {
      baseCurrency
    }
  }
`;

const timeZoneMutation = graphql`
  mutation SettingsPageTimeZoneMutation($input: SetTimeZoneInput!) {
    setTimeZone(input: $input) {
      user {
        id
        timeZone
      }
    }
  }
`;

const baseCurrencyMutation = graphql`
  mutation SettingsPageBaseCurrencyMutation($input: SetBaseCurrencyInput!) {
    setBaseCurrency(input: $input) {
      ledgerSettings {
        baseCurrency
      }
      convertedTransactionCount
      waitingTransactionCount
    }
  }
`;

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

export default function SettingsPage() {
  const data = useLazyLoadQuery<SettingsPageQuery>(query, {}, { fetchPolicy: "store-and-network" });
  return (
    <Page title="Settings">
      <section className="card settings-section" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{data.me.email}</dd>
        </dl>
        <TimeZoneForm current={data.me.timeZone} />
      </section>
      <section className="card settings-section" aria-labelledby="money-heading">
        <h2 id="money-heading">Money</h2>
        <BaseCurrencyForm current={data.ledgerSettings.baseCurrency} />
      </section>
      <QuietHoursAndDigest />
      <PushNotifications />
      <ExportData />
      <DeleteAccount />
    </Page>
  );
}

function TimeZoneForm({ current }: { current: string }) {
  const [commit, saving] = useMutation<SettingsPageTimeZoneMutation>(timeZoneMutation);
  const [timeZone, setTimeZone] = useState(current);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState("");
  const [zones] = useState(() => timeZoneOptions(current));

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    setSaved("");
    commit({
      variables: { input: { timeZone } },
      onCompleted: (response) => setSaved(`Time zone saved: ${response.setTimeZone.user.timeZone}.`),
      onError: (error) => setErrors(formErrors(error, ["timeZone"])),
    });
  }

  return (
    <form className="form form-inline" onSubmit={submit}>
      <FormAlert messages={errors.general} />
      <Field label="Time zone" error={errors.fields.timeZone} hint="What “today” and “this month” mean for you, and when alerts say they happened.">
        {(props) => (
          <select {...props} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="button button-primary" disabled={saving || timeZone === current}>
        {saving ? "Saving…" : "Save time zone"}
      </button>
      <p className="saved" role="status">
        {saved}
      </p>
    </form>
  );
}

function BaseCurrencyForm({ current }: { current: string }) {
  const [commit, saving] = useMutation<SettingsPageBaseCurrencyMutation>(baseCurrencyMutation);
  const [currency, setCurrency] = useState(current);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState("");
  const [currencies] = useState(() => currencyOptions());

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    setSaved("");
    commit({
      variables: { input: { currency } },
      // The settings have no id: point the root's field at the new values.
      updater: (store) => {
        const settings = store.getRootField("setBaseCurrency").getLinkedRecord("ledgerSettings");
        store.getRoot().setLinkedRecord(settings, "ledgerSettings");
      },
      onCompleted: ({ setBaseCurrency: result }) => {
        const waiting = result.waitingTransactionCount;
        setSaved(
          `Base currency saved: ${result.ledgerSettings.baseCurrency}. ${result.convertedTransactionCount} transactions converted` +
            (waiting > 0 ? `; ${waiting} wait for an exchange rate.` : "."),
        );
      },
      onError: (error) => setErrors(formErrors(error, ["currency"])),
    });
  }

  return (
    <form className="form form-inline" onSubmit={submit}>
      <FormAlert messages={errors.general} />
      <Field
        label="Base currency"
        error={errors.fields.currency}
        hint="Budgets and reports count in it; other currencies are converted at your exchange rates."
      >
        {(props) => (
          <select {...props} value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {currencies.map(({ code, name }) => (
              <option key={code} value={code}>
                {name} ({code})
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="button button-primary" disabled={saving || currency === current}>
        {saving ? "Saving…" : "Save base currency"}
      </button>
      <p className="saved" role="status">
        {saved}
      </p>
    </form>
  );
}
