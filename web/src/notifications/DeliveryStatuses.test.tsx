import { screen } from "@testing-library/react";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import NotificationsPage from "../pages/NotificationsPage";
import { renderWithRelay } from "../test/render";

describe("a notification's delivery statuses", () => {
  it("says how each channel beyond the app went, and why one failed or waits", async () => {
    const environment = createMockEnvironment();
    renderWithRelay(<NotificationsPage />, environment);
    const page = environment.mock.getAllOperations().find((op) => op.request.node.params.name === "NotificationsPageQuery");
    await act(async () =>
      environment.mock.resolve(
        page!,
        MockPayloadGenerator.generate(page!, {
          NotificationConnection: () => ({
            edges: [
              {
                cursor: "c1",
                node: {
                  id: "Tm90aWZpY2F0aW9uOjE=",
                  kind: "LARGE_TRANSACTION",
                  title: "Large transaction: $900.00",
                  body: "Whole Foods took $900.00.",
                  createdAt: "2026-11-26T10:00:00+00:00",
                  readAt: null,
                  deliveries: [
                    { channel: "IN_APP", status: "SENT", reason: null },
                    { channel: "EMAIL", status: "PENDING", reason: "held for quiet hours until 07:00" },
                    { channel: "PUSH", status: "FAILED", reason: "channel not configured" },
                    { channel: "WEBHOOK", status: "SENT", reason: null },
                  ],
                },
              },
            ],
            pageInfo: { hasNextPage: false, endCursor: "c1" },
          }),
        }),
      ),
    );

    const statuses = screen.getByText("Delivery:", { exact: false }).closest("p");
    expect(statuses).toHaveTextContent(
      "Delivery: Email pending: held for quiet hours until 07:00Push failed: channel not configuredWebhook sent",
    );
    expect(statuses).not.toHaveTextContent("In app");
  });
});
