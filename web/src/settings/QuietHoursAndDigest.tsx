import { type FormEvent, Suspense, useState } from "react";
import { graphql, useLazyLoadQuery, useMutation } from "react-relay";
import type { QuietHoursAndDigestMutation } from "../__generated__/QuietHoursAndDigestMutation.graphql";
import type { QuietHoursAndDigestQuery } from "../__generated__/QuietHoursAndDigestQuery.graphql";
import { type FormErrors, formErrors } from "../api/errors";
import { Field, FormAlert } from "../components/Field";
import { Loading } from "../components/Loading";
import "../components/controls.css";
import "./deliverySettings.css";

const query = graphql`
  query QuietHoursAndDigestQuery {
    notificationSettings {
      timeZone
      quietHours {
        start
        end
      }
      digest {
        hour
        kinds
      }
    }
  }
`;

const mutation = graphql`
  mutation QuietHoursAndDigestMutation($input: UpdateNotificationSettingsInput!) {
    updateNotificationSettings(input: $input) {
      notificationSettings {
        timeZone
        quietHours {
          start
          end
        }
        digest {
          hour
          kinds
        }
      }
    }
  }
`;

const FIELDS = ["quietHours.start", "quietHours.end", "digest.hour", "digest.kinds"];
const NO_ERRORS: FormErrors = { fields: {}, general: [] };
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

/** Quiet hours (held, then sent when they end) and the daily digest, in the user's time zone. */
export function QuietHoursAndDigest() {
  return (
    <section className="card settings-section" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">Quiet hours and digest</h2>
      <Suspense fallback={<Loading label="Loading notification settings…" />}>
        <DeliveryForm />
      </Suspense>
    </section>
  );
}

function DeliveryForm() {
  const { notificationSettings: settings } = useLazyLoadQuery<QuietHoursAndDigestQuery>(
    query,
    {},
    { fetchPolicy: "store-and-network" },
  );
  const [commit, saving] = useMutation<QuietHoursAndDigestMutation>(mutation);
  const [quiet, setQuiet] = useState(settings.quietHours != null);
  const [start, setStart] = useState(settings.quietHours?.start ?? "22:00");
  const [end, setEnd] = useState(settings.quietHours?.end ?? "07:00");
  const [digest, setDigest] = useState(settings.digest != null);
  const [hour, setHour] = useState(settings.digest?.hour ?? 8);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(NO_ERRORS);
    setSaved("");
    commit({
      variables: {
        input: {
          quietHours: quiet ? { start, end } : null,
          // The digest gathers every kind; per-kind choices are kept as they are.
          digest: digest ? { hour, kinds: settings.digest?.kinds ?? null } : null,
        },
      },
      updater: (store) => {
        const updated = store.getRootField("updateNotificationSettings").getLinkedRecord("notificationSettings");
        store.getRoot().setLinkedRecord(updated, "notificationSettings");
      },
      onCompleted: ({ updateNotificationSettings: { notificationSettings: now } }) => {
        const parts = [
          now.quietHours ? `quiet from ${now.quietHours.start} to ${now.quietHours.end}` : "no quiet hours",
          now.digest ? `a daily digest at ${hourLabel(now.digest.hour)}` : "single emails",
        ];
        setSaved(`Saved: ${parts.join(", ")} (${now.timeZone}).`);
      },
      onError: (error) => setErrors(formErrors(error, FIELDS)),
    });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Quiet hours and digest">
      <p className="muted">
        Times are in your time zone, {settings.timeZone}. Alerts always show in Tally at once; these settings hold back email, push and
        webhooks.
      </p>
      <FormAlert messages={errors.general} />
      <fieldset className="delivery-fieldset">
        <legend>Quiet hours</legend>
        <label className="delivery-checkbox">
          <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} /> Hold alerts during quiet hours, then send
          them when they end
        </label>
        {quiet && (
          <div className="form-row">
            <Field label="From" error={errors.fields["quietHours.start"]}>
              {(props) => <input {...props} type="time" value={start} required onChange={(e) => setStart(e.target.value)} />}
            </Field>
            <Field label="Until" error={errors.fields["quietHours.end"]}>
              {(props) => <input {...props} type="time" value={end} required onChange={(e) => setEnd(e.target.value)} />}
            </Field>
          </div>
        )}
      </fieldset>
      <fieldset className="delivery-fieldset">
        <legend>Daily digest</legend>
        <label className="delivery-checkbox">
          <input type="checkbox" checked={digest} onChange={(e) => setDigest(e.target.checked)} /> One email a day instead of one email per
          alert
        </label>
        {digest && (
          <Field label="Send it at" error={errors.fields["digest.hour"] ?? errors.fields["digest.kinds"]}>
            {(props) => (
              <select {...props} value={hour} onChange={(e) => setHour(Number(e.target.value))}>
                {HOURS.map((value) => (
                  <option key={value} value={value}>
                    {hourLabel(value)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </fieldset>
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? "Saving…" : "Save quiet hours and digest"}
      </button>
      <p className="saved" role="status">
        {saved}
      </p>
    </form>
  );
}
