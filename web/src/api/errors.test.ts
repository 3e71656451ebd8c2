import { ApiError, formErrors } from "./errors";

describe("formErrors", () => {
  it("puts each message next to the field the API names, without repeating its name", () => {
    const error = new ApiError([
      { message: "input.password: must be at least 12 characters", extensions: { code: "BAD_USER_INPUT", field: "input.password" } },
      { message: "An account with this email exists.", extensions: { code: "CONFLICT", field: "input.email" } },
      { message: "Too many attempts.", extensions: { code: "RATE_LIMITED" } },
    ]);
    expect(formErrors(error, ["email", "password"])).toEqual({
      fields: { password: "Must be at least 12 characters", email: "An account with this email exists." },
      general: ["Too many attempts."],
    });
  });

  it("keeps a message for a field the form does not show for the whole form", () => {
    const error = new ApiError([{ message: "Unknown.", extensions: { field: "input.other" } }]);
    expect(formErrors(error, ["email"])).toEqual({ fields: {}, general: ["Unknown."] });
  });
});
