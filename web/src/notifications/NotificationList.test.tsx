import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act, Suspense } from "react";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import NotificationsPage from "../pages/NotificationsPage";
import { renderWithRelay } from "../test/render";
import { useLiveNotifications } from "./liveNotifications";

function Live() {
  const announcement = useLiveNotifications();
  return <p role="status">{announcement}</p>;
}

const notification = (id: string, title: string, readAt: string | null = null) => ({
  id,
  kind: "BUDGET_OVERSPENT",
  title,
  body: `${title}: the details.`,
  createdAt: "2026-11-26T10:00:00+00:00",
  readAt,
});

describe("the notification centre", () => {
  it("lists notifications, adds live ones at the top, and marks them read", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(
      <>
        <Live />
        <Suspense fallback={<p>Loading…</p>}>
          <NotificationsPage />
        </Suspense>
      </>,
      environment,
    );
    const subscription = environment.mock.getAllOperations().find((op) => op.request.node.params.operationKind === "subscription");
    expect(subscription).toBeDefined();
    const page = environment.mock.getAllOperations().find((op) => op.request.node.params.name === "NotificationsPageQuery");
    await act(async () =>
      environment.mock.resolve(
        page!,
        MockPayloadGenerator.generate(page!, {
          NotificationConnection: () => ({
            edges: [{ node: notification("Tm90aWZpY2F0aW9uOjE=", "Old news", "2026-11-25T10:00:00+00:00"), cursor: "c1" }],
            pageInfo: { hasNextPage: true, endCursor: "c1" },
          }),
        }),
      ),
    );
    expect(screen.getByText("Old news")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Load older notifications" })).toBeInTheDocument();

    await act(async () =>
      environment.mock.nextValue(subscription!, { data: { notifications: { __typename: "Notification", ...notification("Tm90aWZpY2F0aW9uOjI=", "Groceries budget overspent") } } }),
    );
    const items = within(screen.getByRole("list", { name: "Notifications" })).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Groceries budget overspent");
    expect(screen.getByText("New alert: Groceries budget overspent")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Mark read: Groceries budget overspent" }));
    const markRead = environment.mock.getMostRecentOperation();
    expect(markRead.request.variables).toEqual({ input: { ids: ["Tm90aWZpY2F0aW9uOjI="] } });
    // Shown read at once (optimistically), and still after the server agrees.
    expect(within(items[0]!).getByText("Read")).toBeInTheDocument();
    await act(async () => environment.mock.resolve(markRead, { data: { markNotificationsRead: { markedCount: 1 } } }));
    expect(within(items[0]!).getByText("Read")).toBeInTheDocument();
    expect(screen.getByText("Nothing unread.")).toBeInTheDocument();

    // Older pages follow the last cursor (scrolling to the end does the same).
    await userEvent.click(screen.getByRole("button", { name: "Load older notifications" }));
    const older = environment.mock.getMostRecentOperation();
    expect(older.request.node.params.name).toBe("NotificationListPaginationQuery");
    expect(older.request.variables).toMatchObject({ count: 20, cursor: "c1" });
    await act(async () =>
      environment.mock.resolve(
        older,
        MockPayloadGenerator.generate(older, {
          NotificationConnection: () => ({
            edges: [{ node: notification("Tm90aWZpY2F0aW9uOjA=", "Older still", "2026-11-20T10:00:00+00:00"), cursor: "c0" }],
            pageInfo: { hasNextPage: false, endCursor: "c0" },
          }),
        }),
      ),
    );
    const all = within(screen.getByRole("list", { name: "Notifications" })).getAllByRole("listitem");
    expect(all.map((item) => item.querySelector("h2")?.textContent)).toEqual([
      "Groceries budget overspent",
      "Old news",
      "Older still",
    ]);
    expect(screen.queryByRole("button", { name: "Load older notifications" })).not.toBeInTheDocument();
  });
});
