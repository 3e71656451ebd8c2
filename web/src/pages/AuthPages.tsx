import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { type FormErrors, formErrors } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { Field, FormAlert } from "../components/Field";
import { Page } from "../components/Page";
import { browserTimeZone, currencyOptions } from "../currencies";

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Where to go after signing in: the page that asked for it, if it is one of ours. */
function useNextPath(): string {
  const [params] = useSearchParams();
  const next = params.get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large">
          <span aria-hidden="true" className="brand-mark">
            ▦
          </span>{" "}
          Tally
        </p>
        <Page title={title}>{children}</Page>
      </div>
    </main>
  );
}

export function LogInPage() {
  const { logIn, session } = useAuth();
  const navigate = useNavigate();
  const next = useNextPath();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await logIn({ email, password });
      void navigate(next, { replace: true });
    } catch (error) {
      setErrors(formErrors(error, ["email", "password"]));
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Log in">
      {session.farewell && (
        <p className="note" role="status">
          {session.farewell}
        </p>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert messages={errors.general} />
        <Field label="Email" error={errors.fields.email}>
          {(props) => (
            <input {...props} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field label="Password" error={errors.fields.password}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p className="auth-switch">
        New to Tally? <Link to="/signup">Create an account</Link>
      </p>
    </AuthFrame>
  );
}

export function SignUpPage() {
  const { signUp } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [baseCurrency, setBaseCurrency] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [currencies] = useState(() => currencyOptions());
  const timeZone = browserTimeZone();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await signUp({ email, password, timeZone, baseCurrency: baseCurrency || null });
      void navigate("/", { replace: true });
    } catch (error) {
      setErrors(formErrors(error, ["email", "password", "timeZone", "baseCurrency"]));
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Create your account">
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert messages={errors.general} />
        <Field label="Email" error={errors.fields.email}>
          {(props) => (
            <input {...props} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field label="Password" error={errors.fields.password} hint="At least 12 characters; a passphrase works well.">
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Base currency (optional)"
          error={errors.fields.baseCurrency}
          hint="Budgets and reports count in it; US dollars if you leave it. You can change it later."
        >
          {(props) => (
            <select {...props} value={baseCurrency} onChange={(e) => setBaseCurrency(e.target.value)}>
              <option value="">US dollar (USD), the default</option>
              {currencies.map(({ code, name }) => (
                <option key={code} value={code}>
                  {name} ({code})
                </option>
              ))}
            </select>
          )}
        </Field>
        <p className="field-hint">
          Your time zone, <strong>{timeZone}</strong>, comes from this browser; change it in Settings.
          {errors.fields.timeZone && <span className="field-error"> {errors.fields.timeZone}</span>}
        </p>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthFrame>
  );
}
