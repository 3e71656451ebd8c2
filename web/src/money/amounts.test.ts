import { fractionDigits, magnitude, readAmount } from "./amounts";

describe("amounts as people type them", () => {
  it("reads sizes exactly, with the currency's decimals", () => {
    expect(readAmount("12.5", "USD")).toEqual({ amount: "12.50" });
    expect(readAmount(" 1,234.56 ", "USD")).toEqual({ amount: "1234.56" });
    expect(readAmount("12,50", "EUR")).toEqual({ amount: "12.50" });
    // As the reader's locale writes it.
    expect(readAmount("1.234,5", "EUR", { locale: "de-DE" })).toEqual({ amount: "1234.50" });
    expect(readAmount("500", "JPY")).toEqual({ amount: "500" });
    // Beyond a float's precision, still exact.
    expect(readAmount("9007199254740.99", "USD")).toEqual({ amount: "9007199254740.99" });
  });

  it("says what is wrong in words fit to show beside the field", () => {
    expect(readAmount("", "USD")).toEqual({ error: "Enter an amount." });
    expect(readAmount("-5", "USD")).toEqual({ error: "Enter the amount without a sign." });
    expect(readAmount("twelve", "USD")).toEqual({ error: "Enter an amount in digits, like 12.50." });
    expect(readAmount("1.005", "USD")).toEqual({ error: "USD has at most 2 decimals." });
    expect(readAmount("1.5", "JPY")).toEqual({ error: "JPY has no cents." });
    expect(readAmount("0", "USD")).toEqual({ error: "Enter an amount above zero." });
    expect(readAmount("0", "USD", { allowZero: true })).toEqual({ amount: "0.00" });
    expect(readAmount("12345678901234", "USD")).toEqual({ error: "That amount is too large." });
  });

  it("keeps the decimals typed when no currency bounds them (a search's range)", () => {
    expect(readAmount("10.125", null)).toEqual({ amount: "10.125" });
  });

  it("knows each currency's decimals and an amount's size", () => {
    expect(fractionDigits("USD")).toBe(2);
    expect(fractionDigits("KWD")).toBe(3);
    expect(magnitude("-12.30")).toBe("12.30");
    expect(magnitude("12.30")).toBe("12.30");
  });
});
