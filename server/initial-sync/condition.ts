// A job's condition is an encoded query (SPEC 1.4). The job walks its matches in sys_id order
// from a cursor: each OR-ed part of the condition gets `sys_id>cursor`, and any ORDERBY of the
// condition gives way to sys_id.

/** The encoded query of the records after `cursor` (all of them when it is empty), in sys_id order. */
export function cursorQuery(condition: string, cursor: string): string {
  const parts = condition.trim() === "" ? [""] : condition.split("^NQ");
  const after = cursor ? `sys_id>${cursor}` : "";
  const bounded = parts.map((part) => {
    const terms = part
      .split("^")
      .map((t) => t.trim())
      .filter((t) => t !== "" && !t.startsWith("ORDERBY"));
    if (after) terms.push(after);
    return terms.join("^");
  });
  const query = bounded.filter((p) => p !== "").join("^NQ");
  return query ? `${query}^ORDERBYsys_id` : "ORDERBYsys_id";
}

/** The condition as the error messages quote it. */
export function describeCondition(condition: string): string {
  return condition.trim() === "" ? "All records" : `Condition "${condition.trim()}"`;
}
