import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, type MockEnvironment } from "relay-test-utils";
import { renderWithRelay } from "../test/render";
import { PushNotifications } from "./PushNotifications";
import { applicationServerKey } from "./pushSupport";

// jsdom has neither service workers nor the Push API: these stand in for a browser's, so the
// component's steps can be followed. tests/web checks the real thing in chromium.
function fakeBrowser(permission: NotificationPermission, answer: NotificationPermission = "granted") {
  let subscription: { endpoint: string; options: { applicationServerKey: ArrayBuffer }; unsubscribe: () => Promise<boolean>; toJSON: () => PushSubscriptionJSON } | null = null;
  const subscribe = vi.fn(async (options: { applicationServerKey: Uint8Array }) => {
    subscription = {
      endpoint: "https://push.example.com/send/abc",
      options: { applicationServerKey: options.applicationServerKey.slice().buffer },
      unsubscribe: vi.fn(async () => {
        subscription = null;
        return true;
      }),
      toJSON: () => ({ endpoint: "https://push.example.com/send/abc", keys: { p256dh: "BKey", auth: "QXV0aA" } }),
    };
    return subscription;
  });
  const registration = { pushManager: { subscribe, getSubscription: async () => subscription } };
  const notification = {
    permission,
    requestPermission: vi.fn(async () => {
      notification.permission = answer;
      return answer;
    }),
  };
  vi.stubGlobal("Notification", notification);
  vi.stubGlobal("PushManager", function PushManager() {});
  Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
  Object.defineProperty(navigator, "serviceWorker", {
    configurable: true,
    value: {
      register: vi.fn(async () => registration),
      getRegistration: vi.fn(async () => registration),
      ready: Promise.resolve(registration),
    },
  });
  return { subscribe, notification };
}

afterEach(() => {
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, "serviceWorker");
});

async function resolveNext(environment: MockEnvironment, data: object) {
  await waitFor(() => expect(environment.mock.getAllOperations().length).toBeGreaterThan(0));
  const operation = environment.mock.getMostRecentOperation();
  await act(async () => environment.mock.resolve(operation, { data }));
  return operation;
}

describe("push notifications in settings", () => {
  it("says so when the browser cannot do push", () => {
    renderWithRelay(<PushNotifications />, createMockEnvironment());
    expect(screen.getByRole("status")).toHaveTextContent("cannot receive push notifications");
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("says how to unblock notifications the person blocked", async () => {
    fakeBrowser("denied");
    renderWithRelay(<PushNotifications />, createMockEnvironment());
    expect(await screen.findByText(/blocked for Tally/)).toBeInTheDocument();
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("turns push on: permission, a subscription with the server's key, registered with the API", async () => {
    const { subscribe, notification } = fakeBrowser("default");
    const environment = createMockEnvironment();
    renderWithRelay(<PushNotifications />, environment);
    await userEvent.click(await screen.findByRole("button", { name: "Turn on in this browser" }));

    await resolveNext(environment, { vapidPublicKey: "BAECAw" });
    const registered = await resolveNext(environment, {
      registerPushSubscription: { pushSubscription: { id: "UHVzaDox" } },
    });

    expect(notification.requestPermission).toHaveBeenCalled();
    expect(subscribe).toHaveBeenCalledWith({ userVisibleOnly: true, applicationServerKey: applicationServerKey("BAECAw") });
    expect(registered.request.variables.input).toMatchObject({
      endpoint: "https://push.example.com/send/abc",
      p256dh: "BKey",
      auth: "QXV0aA",
    });
    expect(await screen.findByText(/are on in this browser/)).toBeInTheDocument();
  });

  it("stays off when the person says no", async () => {
    fakeBrowser("default", "denied");
    const environment = createMockEnvironment();
    renderWithRelay(<PushNotifications />, environment);
    await userEvent.click(await screen.findByRole("button", { name: "Turn on in this browser" }));
    await resolveNext(environment, { vapidPublicKey: "BAECAw" });
    expect(await screen.findByText(/blocked for Tally/)).toBeInTheDocument();
  });
});

describe("the VAPID key", () => {
  it("is decoded from base64url", () => {
    expect(Array.from(applicationServerKey("BAECAw"))).toEqual([4, 1, 2, 3]);
    expect(Array.from(applicationServerKey("-_8"))).toEqual([251, 255]);
  });
});
