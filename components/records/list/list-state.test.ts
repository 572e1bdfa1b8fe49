import { describe, expect, it } from "vitest";
import {
  emptyListState,
  encodedQuery,
  fromSearchParams,
  nextSort,
  rangeLabel,
  toSearchParams,
} from "./list-state";

const view = { search: ["number", "short_description"], orderBy: { field: "number", descending: true } };

describe("list state → encoded query", () => {
  it("sorts by the table's default when nothing is chosen", () => {
    expect(encodedQuery(view, emptyListState)).toBe("ORDERBYDESCnumber");
  });

  it("searches every search field with LIKE, OR-ed, then filters and sorts", () => {
    const state = {
      ...emptyListState,
      text: "printer",
      filter: { field: "state", operator: "<", value: "6" },
      sort: { field: "priority", descending: false },
    };
    expect(encodedQuery(view, state)).toBe(
      "numberLIKEprinter^ORshort_descriptionLIKEprinter^state<6^ORDERBYpriority",
    );
  });

  it("keeps a caret in the search text from splitting the query", () => {
    expect(encodedQuery(view, { ...emptyListState, text: "a^b" })).toBe(
      "numberLIKEa b^ORshort_descriptionLIKEa b^ORDERBYDESCnumber",
    );
  });

  it("writes unary operators without a value and skips empty values", () => {
    const unary = { ...emptyListState, filter: { field: "assigned_to", operator: "ISEMPTY", value: "x" } };
    expect(encodedQuery(view, unary)).toBe("assigned_toISEMPTY^ORDERBYDESCnumber");
    const blank = { ...emptyListState, filter: { field: "state", operator: "=", value: " " } };
    expect(encodedQuery(view, blank)).toBe("ORDERBYDESCnumber");
  });
});

describe("sorting and paging", () => {
  it("sorts a new column ascending and flips the active one", () => {
    expect(nextSort(null, view.orderBy, "state")).toEqual({ field: "state", descending: false });
    expect(nextSort(null, view.orderBy, "number")).toEqual({ field: "number", descending: false });
    expect(nextSort({ field: "state", descending: false }, view.orderBy, "state")).toEqual({
      field: "state",
      descending: true,
    });
  });

  it("labels the visible range", () => {
    expect(rangeLabel(1, 57)).toBe("1–20 of 57");
    expect(rangeLabel(3, 57)).toBe("41–57 of 57");
    expect(rangeLabel(1, 0)).toBe("0 of 0");
  });
});

describe("URL round trip", () => {
  it("reads back what it wrote", () => {
    const state = {
      text: "vpn",
      filter: { field: "state", operator: "=", value: "2" },
      sort: { field: "number", descending: true },
      page: 3,
    };
    const params = Object.fromEntries(toSearchParams(state));
    expect(fromSearchParams(params)).toEqual(state);
  });

  it("falls back to page 1 on nonsense", () => {
    expect(fromSearchParams({ page: "-4" }).page).toBe(1);
    expect(fromSearchParams({}).filter).toBeNull();
  });
});
