import { useEffect, useState } from "react";
import { fetchQuery, graphql, useMutation, useRelayEnvironment } from "react-relay";
import type { PushNotificationsKeyQuery } from "../__generated__/PushNotificationsKeyQuery.graphql";
import type { PushNotificationsRegisterMutation } from "../__generated__/PushNotificationsRegisterMutation.graphql";
import type { PushNotificationsUnregisterMutation } from "../__generated__/PushNotificationsUnregisterMutation.graphql";
import { ApiError, errorMessage } from "../api/errors";
import {
  currentPushState,
  type PushState,
  pushSupported,
  subscribeThisBrowser,
  unsubscribeThisBrowser,
} from "./pushSupport";
import "./settings.css";

const keyQuery = graphql`
  query PushNotificationsKeyQuery {
    vapidPublicKey
  }
`;

const registerMutation = graphql`
  mutation PushNotificationsRegisterMutation($input: RegisterPushSubscriptionInput!) {
    registerPushSubscription(input: $input) {
      pushSubscription {
        id
      }
    }
  }
`;

const unregisterMutation = graphql`
  mutation PushNotificationsUnregisterMutation($input: UnregisterPushSubscriptionInput!) {
    unregisterPushSubscription(input: $input) {
      unregisteredPushSubscriptionId
    }
  }
`;

const EXPLAINED: Record<PushState, string> = {
  checking: "Checking this browser…",
  unsupported:
    "This browser cannot receive push notifications here (it needs service workers and the Push API, on https or localhost).",
  denied:
    "Notifications are blocked for Tally in this browser. Allow them in the browser's site settings, then come back here.",
  off: "Push notifications are off in this browser.",
  on: "Push notifications are on in this browser: alerts appear even when Tally is not open.",
};

/** Web push in this browser: its state, and turning it on (permission, service worker,
 * subscription registered with the API) or off. */
export function PushNotifications() {
  const environment = useRelayEnvironment();
  const [commitRegister] = useMutation<PushNotificationsRegisterMutation>(registerMutation);
  const [commitUnregister] = useMutation<PushNotificationsUnregisterMutation>(unregisterMutation);
  const [state, setState] = useState<PushState>(pushSupported() ? "checking" : "unsupported");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    currentPushState()
      .then((found) => current && setState(found))
      .catch(() => current && setState("off"));
    return () => {
      current = false;
    };
  }, []);

  function register(input: PushNotificationsRegisterMutation["variables"]["input"]): Promise<void> {
    return new Promise((resolve, reject) =>
      commitRegister({ variables: { input }, onCompleted: () => resolve(), onError: reject }),
    );
  }

  function unregister(endpoint: string): Promise<void> {
    return new Promise((resolve, reject) =>
      commitUnregister({
        variables: { input: { endpoint } },
        onCompleted: () => resolve(),
        // Already forgotten by the server (a push service said it was gone): nothing to undo.
        onError: (failure) =>
          failure instanceof ApiError && failure.hasCode("NOT_FOUND") ? resolve() : reject(failure),
      }),
    );
  }

  async function turnOn() {
    setBusy(true);
    setError(null);
    try {
      const key = await fetchQuery<PushNotificationsKeyQuery>(environment, keyQuery, {}).toPromise();
      if (!key) throw new Error("Tally did not send its push key.");
      const subscription = await subscribeThisBrowser(key.vapidPublicKey);
      if (!subscription) {
        setState(Notification.permission === "denied" ? "denied" : "off");
        return;
      }
      await register({ ...subscription, userAgent: navigator.userAgent.slice(0, 300) });
      setState("on");
    } catch (failure) {
      setError(errorMessage(failure));
      setState(await currentPushState().catch(() => "off" as const));
    } finally {
      setBusy(false);
    }
  }

  async function turnOff() {
    setBusy(true);
    setError(null);
    try {
      const endpoint = await unsubscribeThisBrowser();
      if (endpoint) await unregister(endpoint);
      setState("off");
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card settings-section" aria-labelledby="push-heading">
      <h2 id="push-heading">Push notifications</h2>
      <p role="status" data-push-state={state}>
        {EXPLAINED[state]}
      </p>
      {error && (
        <p className="form-alert" role="alert">
          {error}
        </p>
      )}
      {state === "off" && (
        <button type="button" className="button" onClick={() => void turnOn()} disabled={busy}>
          {busy ? "Turning on…" : "Turn on in this browser"}
        </button>
      )}
      {state === "on" && (
        <button type="button" className="button" onClick={() => void turnOff()} disabled={busy}>
          {busy ? "Turning off…" : "Turn off in this browser"}
        </button>
      )}
    </section>
  );
}
