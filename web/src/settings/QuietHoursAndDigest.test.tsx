import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { createMockEnvironment, MockPayloadGenerator } from "relay-test-utils";
import { ApiError } from "../api/errors";
import { renderWithRelay } from "../test/render";
import { QuietHoursAndDigest } from "./QuietHoursAndDigest";

const SETTINGS = { timeZone: "Europe/Paris", quietHours: null, digest: null };

async function shown() {
  const environment = createMockEnvironment();
  renderWithRelay(<QuietHoursAndDigest />, environment);
  const operation = environment.mock.getMostRecentOperation();
  await act(async () =>
    environment.mock.resolve(
      operation,
      MockPayloadGenerator.generate(operation, { NotificationSettings: () => SETTINGS }),
    ),
  );
  return environment;
}

describe("quiet hours and the digest in settings", () => {
  it("saves quiet hours and a daily digest in the user's time zone", async () => {
    const environment = await shown();
    expect(screen.getByText(/Times are in your time zone, Europe\/Paris/)).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText(/Hold alerts during quiet hours/));
    await userEvent.clear(screen.getByLabelText("From"));
    await userEvent.type(screen.getByLabelText("From"), "23:00");
    await userEvent.click(screen.getByLabelText(/One email a day/));
    await userEvent.selectOptions(screen.getByLabelText("Send it at"), "09:00");
    await userEvent.click(screen.getByRole("button", { name: "Save quiet hours and digest" }));

    const mutation = environment.mock.getMostRecentOperation();
    expect(mutation.request.variables).toEqual({
      input: { quietHours: { start: "23:00", end: "07:00" }, digest: { hour: 9, kinds: null } },
    });
    await act(async () =>
      environment.mock.resolve(mutation, {
        data: {
          updateNotificationSettings: {
            notificationSettings: {
              timeZone: "Europe/Paris",
              quietHours: { start: "23:00", end: "07:00" },
              digest: { hour: 9, kinds: null },
            },
          },
        },
      }),
    );
    expect(screen.getByRole("status")).toHaveTextContent(
      "Saved: quiet from 23:00 to 07:00, a daily digest at 09:00 (Europe/Paris).",
    );
  });

  it("shows the API's complaint beside the field it names", async () => {
    const environment = await shown();
    await userEvent.click(screen.getByLabelText(/Hold alerts during quiet hours/));
    await userEvent.click(screen.getByRole("button", { name: "Save quiet hours and digest" }));

    await act(async () =>
      environment.mock.reject(
        environment.mock.getMostRecentOperation(),
        new ApiError([
          {
            message: "input.quietHours.end: must differ from the start",
            extensions: { code: "BAD_USER_INPUT", field: "input.quietHours.end" },
          },
        ]),
      ),
    );

    expect(screen.getByLabelText("Until")).toHaveAccessibleDescription("Must differ from the start");
  });
});
