import { conditionCount, EMPTY_SEARCH, readSearch, toFilter, writeSearch } from "./search";

describe("a transaction search in the address", () => {
  it("goes to the address and back unchanged, in the API's filter language", () => {
    const search = {
      ...EMPTY_SEARCH,
      text: "coffee",
      categoryId: "Q2F0ZWdvcnk6MQ==",
      tagId: "VGFnOjE=",
      payeeId: "UGF5ZWU6MQ==",
      minAmount: "5",
      maxAmount: "50.5",
      from: "2026-10-01",
      to: "2026-10-31",
      direction: "out" as const,
      pending: "no" as const,
      reviewed: "no" as const,
    };
    const params = writeSearch(search);
    expect(params.toString()).toBe(
      "q=coffee&category=Q2F0ZWdvcnk6MQ%3D%3D&tag=VGFnOjE%3D&payee=UGF5ZWU6MQ%3D%3D&min=5&max=50.5&from=2026-10-01&to=2026-10-31&direction=out&pending=no&reviewed=no",
    );
    expect(readSearch(new URLSearchParams(params.toString()))).toEqual(search);
    expect(toFilter(search)).toEqual({
      search: "coffee",
      categoryId: "Q2F0ZWdvcnk6MQ==",
      tagIds: ["VGFnOjE="],
      payeeIds: ["UGF5ZWU6MQ=="],
      minAmount: "5",
      maxAmount: "50.5",
      from: "2026-10-01",
      to: "2026-10-31",
      direction: "MONEY_OUT",
      pending: false,
      reviewed: false,
    });
    expect(conditionCount(search)).toBe(10);
  });

  it("leaves out what a hand-edited address gets wrong", () => {
    const search = readSearch(new URLSearchParams("q=%20&min=ten&from=2026-02-30&to=tomorrow&direction=sideways&pending=maybe&uncategorized=yes"));
    expect(search).toEqual({ ...EMPTY_SEARCH, text: " ", uncategorized: "yes" });
    expect(toFilter(search)).toEqual({ uncategorized: true });
  });

  it("is no filter at all when nothing narrows the list", () => {
    expect(toFilter(readSearch(new URLSearchParams("")))).toBeNull();
    expect(toFilter({ ...EMPTY_SEARCH, text: "   " })).toBeNull();
  });
});
