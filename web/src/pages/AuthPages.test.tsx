import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { AuthProvider } from "../auth/AuthContext";
import { REFRESH_TOKEN_KEY } from "../auth/session";
import { SignUpPage } from "./AuthPages";

function answering(...bodies: unknown[]) {
  const sent: { variables: { input: Record<string, unknown> } }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(init.body as string));
      return new Response(JSON.stringify(bodies.shift()), { headers: { "Content-Type": "application/json" } });
    }),
  );
  return sent;
}

function renderSignUp() {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={["/signup"]}>
        <Routes>
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/" element={<p>Signed in</p>} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("signing up", () => {
  it("shows the API's error next to the field it names, and keeps what was typed", async () => {
    answering({
      data: null,
      errors: [
        {
          message: "An account with this email already exists.",
          extensions: { code: "CONFLICT", field: "input.email" },
        },
      ],
    });
    renderSignUp();
    await userEvent.type(screen.getByLabelText("Email"), "taken@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "a long enough passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));

    const email = await screen.findByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("An account with this email already exists.");
    expect(email).toHaveValue("taken@example.com");
    expect(screen.getByLabelText("Password")).not.toHaveAttribute("aria-invalid");
  });

  it("sends the browser's time zone and the chosen base currency, then signs in", async () => {
    const sent = answering({ data: { signUp: { accessToken: "h.e30.s", refreshToken: "refresh-1" } } });
    renderSignUp();
    await userEvent.type(screen.getByLabelText("Email"), "new@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "a long enough passphrase");
    await userEvent.selectOptions(screen.getByLabelText("Base currency (optional)"), "EUR");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("Signed in")).toBeInTheDocument();
    expect(sent[0]?.variables.input).toEqual({
      email: "new@example.com",
      password: "a long enough passphrase",
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      baseCurrency: "EUR",
    });
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe("refresh-1");
  });
});
