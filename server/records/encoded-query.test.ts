import { describe, expect, it } from "vitest";
import { RecordError } from "../util/errors";
import { parseEncodedQuery } from "./encoded-query";

describe("parseEncodedQuery", () => {
  it("reads an empty query as 'everything'", () => {
    expect(parseEncodedQuery("")).toEqual({ disjunction: [], orderBy: [] });
    expect(parseEncodedQuery(undefined)).toEqual({ disjunction: [], orderBy: [] });
  });

  it("reads AND terms and ORDERBYDESC", () => {
    const q = parseEncodedQuery("assignment_group=abc^state!=6^ORDERBYDESCnumber");
    expect(q.disjunction).toEqual([
      [
        [{ field: "assignment_group", operator: "=", value: "abc" }],
        [{ field: "state", operator: "!=", value: "6" }],
      ],
    ]);
    expect(q.orderBy).toEqual([{ field: "number", descending: true }]);
  });

  it("binds ^OR to the term before it", () => {
    const q = parseEncodedQuery("active=true^state=1^ORstate=2");
    expect(q.disjunction[0]).toEqual([
      [{ field: "active", operator: "=", value: "true" }],
      [
        { field: "state", operator: "=", value: "1" },
        { field: "state", operator: "=", value: "2" },
      ],
    ]);
  });

  it("reads every operator", () => {
    const q = parseEncodedQuery(
      "aLIKEx^bSTARTSWITHy^cIN1,2^dISEMPTY^eISNOTEMPTY^f>3^g<4^h>=5^i<=6^jNOT IN7^kNOTLIKEz^lENDSWITHw",
    );
    expect(q.disjunction[0]?.map((g) => g[0]?.operator)).toEqual([
      "LIKE",
      "STARTSWITH",
      "IN",
      "ISEMPTY",
      "ISNOTEMPTY",
      ">",
      "<",
      ">=",
      "<=",
      "NOT IN",
      "NOTLIKE",
      "ENDSWITH",
    ]);
  });

  it("treats a field that starts with 'or' as a field, not an OR term", () => {
    const q = parseEncodedQuery("state=1^order=2");
    expect(q.disjunction[0]).toHaveLength(2);
  });

  it("splits ^NQ into alternative queries", () => {
    expect(parseEncodedQuery("state=1^NQstate=2").disjunction).toHaveLength(2);
  });

  it("refuses unreadable terms with a 400 that quotes the term", () => {
    const detailOf = (query: string) => {
      try {
        parseEncodedQuery(query);
      } catch (error) {
        expect(error).toBeInstanceOf(RecordError);
        return (error as RecordError).status === 400 ? (error as RecordError).detail : "";
      }
      return "parsed";
    };
    expect(detailOf("state~1")).toMatch(/Unknown operator in "state~1"/);
    expect(detailOf("=1")).toMatch(/field name/);
    expect(detailOf("ORDERBY")).toMatch(/ORDERBY needs a field/);
  });
});
