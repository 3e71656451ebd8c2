import { amountForApi } from "./input";

describe("an amount as typed", () => {
  it.each([
    ["12.50", "12.50"],
    [" 12.5 ", "12.5"],
    ["12,50", "12.50"],
    ["1,234.50", "1234.50"],
    ["1,234", "1234"],
    ["-3,5", "-3.5"],
    ["abc", "abc"],
    ["", ""],
  ])("in en-US, %j is sent as %j", (typed, sent) => {
    expect(amountForApi(typed, "en-US")).toBe(sent);
  });

  it.each([
    ["12,50", "12.50"],
    ["1.234,50", "1234.50"],
    ["1 234,50", "1234.50"],
    ["1,234", "1.234"],
    ["1234", "1234"],
    ["12.5.0", "12.5.0"],
  ])("in de-DE, %j is sent as %j", (typed, sent) => {
    expect(amountForApi(typed, "de-DE")).toBe(sent);
  });
});
