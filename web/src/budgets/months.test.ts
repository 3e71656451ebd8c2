import { addMonths, currentMonth, isMonthText, monthRange } from "./months";

describe("months", () => {
  it("move across years, back and ahead", () => {
    expect(addMonths("2026-11", 2)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-11", -23)).toBe("2024-12");
  });

  it("are the API's: 1900-01 to 2100-12, written YYYY-MM", () => {
    expect(isMonthText("2026-11")).toBe(true);
    expect(isMonthText("2026-13")).toBe(false);
    expect(isMonthText("1899-12")).toBe(false);
    expect(isMonthText("2101-01")).toBe(false);
    expect(isMonthText("2026-1")).toBe(false);
  });

  it("run from their first day to their last, and are the user's", () => {
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    // 23:30 on Nov 30 in UTC is already December in Tokyo.
    expect(currentMonth("Asia/Tokyo", new Date("2026-11-30T23:30:00Z"))).toBe("2026-12");
    expect(currentMonth("UTC", new Date("2026-11-30T23:30:00Z"))).toBe("2026-11");
  });
});
