import { formatMoney, isNegative, shareOf } from "./format";

describe("formatMoney", () => {
  it("formats a decimal string in the user's locale and currency", () => {
    expect(formatMoney({ amount: "-1234.50", currency: "USD" }, "en-US")).toBe("-$1,234.50");
    expect(formatMoney({ amount: "1234.5", currency: "EUR" }, "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatMoney({ amount: "1500", currency: "JPY" }, "ja-JP")).toBe("￥1,500");
  });

  it("keeps every digit of amounts beyond a float's precision", () => {
    // 2^53 + 1 cents: a float would print ...992 or ...993.
    expect(formatMoney({ amount: "90071992547409.93", currency: "USD" }, "en-US")).toBe(
      "$90,071,992,547,409.93",
    );
    expect(formatMoney({ amount: "0.10", currency: "USD" }, "en-US")).toBe("$0.10");
  });

  it("refuses what is not an exact decimal", () => {
    expect(() => formatMoney({ amount: "1e3", currency: "USD" }, "en-US")).toThrow(RangeError);
    expect(() => formatMoney({ amount: "NaN", currency: "USD" }, "en-US")).toThrow(RangeError);
  });
});

describe("shareOf", () => {
  it("divides exactly and rounds only the ratio", () => {
    expect(shareOf("0.30", "0.90")).toBeCloseTo(0.3333, 4);
    expect(shareOf("150.00", "100.00")).toBe(1.5);
    expect(shareOf("0", "100")).toBe(0);
    expect(shareOf("-5", "100")).toBe(0);
    expect(shareOf("5", "0")).toBe(Number.POSITIVE_INFINITY);
  });

  it("reads signs from the string", () => {
    expect(isNegative("-0.01")).toBe(true);
    expect(isNegative("0.00")).toBe(false);
  });
});
