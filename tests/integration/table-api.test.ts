import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, type RunningInstance, startInstance } from "../support/instances";
import { type ApiClient, apiClient, failureOf, type RecordJson } from "./api-client";

// The Table API (SPEC 1.4) against a real started instance with the demo seed.

let inst: RunningInstance;
let api: ApiClient;
let hardware: string;

const maxBodyBytes = 50_000;

beforeAll(async () => {
  inst = await startInstance({ name: "table-api", env: { TANDEM_MAX_BODY_BYTES: String(maxBodyBytes) } });
  api = apiClient(inst);
  const groups = await api.get<{ result: RecordJson[] }>(
    "/api/now/table/sys_user_group?sysparm_query=name=Hardware",
  );
  expect(groups.status).toBe(200);
  expect(groups.body.result).toHaveLength(1);
  hardware = String(groups.body.result[0]?.sys_id);
});

afterAll(async () => {
  await inst?.stop();
});

async function createIncident(fields: RecordJson = {}): Promise<RecordJson> {
  const res = await api.post("/api/now/table/incident", {
    short_description: "Keyboard missing keys",
    assignment_group: hardware,
    ...fields,
  });
  expect(res.status).toBe(201);
  return res.body.result;
}

describe("records", () => {
  it("creates an incident with a number, and reads it back by sys_id", async () => {
    const res = await api.post("/api/now/table/incident", {
      short_description: "Monitor flickers",
      assignment_group: hardware,
    });
    expect(res.status).toBe(201);
    const created = res.body.result;
    expect(created.number).toMatch(/^INC\d{7}$/);
    expect(created.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.state).toBe("1");
    expect(created.sys_created_by).toBe("admin");
    expect(created.assignment_group).toEqual({
      link: `${inst.url}/api/now/table/sys_user_group/${hardware}`,
      value: hardware,
    });
    expect(res.headers.get("location")).toBe(`${inst.url}/api/now/table/incident/${created.sys_id}`);

    const read = await api.get(`/api/now/table/incident/${created.sys_id}`);
    expect(read.status).toBe(200);
    expect(read.body.result).toEqual(created);
  });

  it("lists by encoded query in order, with only the requested fields", async () => {
    await createIncident({ short_description: "List me" });
    const q = new URLSearchParams({
      sysparm_query: `assignment_group=${hardware}^ORDERBYDESCnumber`,
      sysparm_fields: "number,short_description,assignment_group,no_such_field",
      sysparm_exclude_reference_link: "true",
    });
    const res = await api.get<{ result: RecordJson[] }>(`/api/now/table/incident?${q}`);
    expect(res.status).toBe(200);
    const rows = res.body.result;
    expect(rows.length).toBeGreaterThanOrEqual(3); // two seeded Hardware incidents and ours
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["assignment_group", "number", "short_description"]);
      expect(row.assignment_group).toBe(hardware);
    }
    const numbers = rows.map((r) => String(r.number));
    expect(numbers).toEqual([...numbers].sort().reverse());
    expect(Number(res.headers.get("x-total-count"))).toBe(rows.length);
  });

  it("pages with sysparm_limit / sysparm_offset, X-Total-Count and Link", async () => {
    for (let i = 0; i < 3; i++)
      await createIncident({ short_description: `Paging ${i}`, category: "database" });
    const base = "/api/now/table/incident?sysparm_query=category%3Ddatabase%5EORDERBYnumber";
    const all = await api.get<{ result: RecordJson[] }>(base);
    const total = all.body.result.length;
    expect(total).toBeGreaterThanOrEqual(3);

    const page = await api.get<{ result: RecordJson[] }>(`${base}&sysparm_limit=1&sysparm_offset=1`);
    expect(page.status).toBe(200);
    expect(page.body.result).toHaveLength(1);
    expect(page.body.result[0]?.number).toBe(all.body.result[1]?.number);
    expect(page.headers.get("x-total-count")).toBe(String(total));

    const links = parseLinks(page.headers.get("link") ?? "");
    expect(Object.keys(links).sort()).toEqual(["first", "last", "next", "prev"]);
    expect(links.first?.searchParams.get("sysparm_offset")).toBe("0");
    expect(links.prev?.searchParams.get("sysparm_offset")).toBe("0");
    expect(links.next?.searchParams.get("sysparm_offset")).toBe("2");
    expect(links.last?.searchParams.get("sysparm_offset")).toBe(String(total - 1));
    expect(links.next?.searchParams.get("sysparm_query")).toBe("category=database^ORDERBYnumber");

    // Following the link gives the next page.
    const next = await api.get<{ result: RecordJson[] }>(`${links.next?.pathname}${links.next?.search}`);
    expect(next.body.result[0]?.number).toBe(all.body.result[2]?.number);
  });

  it("shows display values with sysparm_display_value=true and all", async () => {
    const created = await createIncident({ state: "2", impact: "1" });
    const shown = await api.get(`/api/now/table/incident/${created.sys_id}?sysparm_display_value=true`);
    expect(shown.body.result.state).toBe("In Progress");
    expect(shown.body.result.impact).toBe("1 - High");
    expect(shown.body.result.assignment_group).toEqual({
      link: `${inst.url}/api/now/table/sys_user_group/${hardware}`,
      display_value: "Hardware",
    });

    const plain = await api.get(
      `/api/now/table/incident/${created.sys_id}?sysparm_display_value=true&sysparm_exclude_reference_link=true`,
    );
    expect(plain.body.result.assignment_group).toBe("Hardware");

    const both = await api.get(`/api/now/table/incident/${created.sys_id}?sysparm_display_value=all`);
    expect(both.body.result.state).toEqual({ display_value: "In Progress", value: "2" });
    expect(both.body.result.number).toEqual({ display_value: created.number, value: created.number });
    expect(both.body.result.assignment_group).toEqual({
      display_value: "Hardware",
      link: `${inst.url}/api/now/table/sys_user_group/${hardware}`,
      value: hardware,
    });
  });

  it("updates with PATCH and PUT, changing only the given fields", async () => {
    const created = await createIncident({ description: "Keep me" });
    const patched = await api.patch(`/api/now/table/incident/${created.sys_id}`, { state: "3" });
    expect(patched.status).toBe(200);
    expect(patched.body.result.state).toBe("3");
    expect(patched.body.result.description).toBe("Keep me");
    expect(patched.body.result.sys_mod_count).toBe("1");

    const put = await api.put(`/api/now/table/incident/${created.sys_id}`, { short_description: "Renamed" });
    expect(put.status).toBe(200);
    expect(put.body.result.short_description).toBe("Renamed");
    expect(put.body.result.state).toBe("3");
    expect(put.body.result.description).toBe("Keep me");
    expect(put.body.result.sys_mod_count).toBe("2");

    const read = await api.get(`/api/now/table/incident/${created.sys_id}`);
    expect(read.body.result).toEqual(put.body.result);
  });

  it("adds a journal entry when comments are written, shown as display value", async () => {
    const created = await createIncident();
    const res = await api.patch(`/api/now/table/incident/${created.sys_id}`, { comments: "First reply" });
    expect(res.status).toBe(200);
    await api.patch(`/api/now/table/incident/${created.sys_id}`, { work_notes: "Checked the cable" });

    const raw = await api.get(`/api/now/table/incident/${created.sys_id}`);
    expect(raw.body.result.comments).toBe(""); // a journal field has no value of its own, as in ServiceNow

    const shown = await api.get(
      `/api/now/table/incident/${created.sys_id}?sysparm_display_value=true&sysparm_fields=comments,work_notes`,
    );
    expect(shown.body.result.comments).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - System Administrator \(Additional comments\)\nFirst reply\n\n$/,
    );
    expect(shown.body.result.work_notes).toMatch(
      / - System Administrator \(Work notes\)\nChecked the cable\n\n$/,
    );
  });

  it("deletes a record (204), after which it is 404", async () => {
    const created = await createIncident();
    const res = await api.delete(`/api/now/table/incident/${created.sys_id}`);
    expect(res.status).toBe(204);
    const gone = await api.get(`/api/now/table/incident/${created.sys_id}`);
    expect(gone.status).toBe(404);
    expect(failureOf(gone).message).toBe("No Record found");
    expect((await api.delete(`/api/now/table/incident/${created.sys_id}`)).status).toBe(404);
  });

  it("answers the same under /api/now/v1 and /api/now/v2", async () => {
    const created = await api.post("/api/now/v1/table/incident", { short_description: "Via v1" });
    expect(created.status).toBe(201);
    const id = String(created.body.result.sys_id);
    const v2 = await api.get(`/api/now/v2/table/incident/${id}`);
    expect(v2.status).toBe(200);
    expect(v2.body.result.short_description).toBe("Via v1");
    const list = await api.get<{ result: RecordJson[] }>(
      `/api/now/v2/table/incident?sysparm_query=sys_id=${id}`,
    );
    expect(list.body.result).toHaveLength(1);
    expect((await api.patch(`/api/now/v2/table/incident/${id}`, { state: "2" })).status).toBe(200);
    expect((await api.delete(`/api/now/v1/table/incident/${id}`)).status).toBe(204);
  });
});

describe("bad input changes nothing", () => {
  it("unknown table: 400 naming it", async () => {
    const res = await api.post("/api/now/table/no_such_table", { name: "x" });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("no_such_table");
    expect((await api.get("/api/now/table/no_such_table")).status).toBe(400);
  });

  it("malformed JSON: 400 with the parser's detail", async () => {
    const before = await api.count("incident");
    const res = await api.request("POST", "/api/now/table/incident", {
      rawBody: '{"short_description": "half',
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    const error = failureOf(res);
    expect(error.message).toMatch(/^Malformed JSON/);
    expect(error.detail).not.toBe("");
    expect(await api.count("incident")).toBe(before);
  });

  it("a body that is not an object: 400", async () => {
    const before = await api.count("incident");
    const res = await api.post("/api/now/table/incident", [{ short_description: "in an array" }]);
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toMatch(/JSON object/);
    expect(await api.count("incident")).toBe(before);
  });

  it("a bad choice value: 400 naming the field", async () => {
    const before = await api.count("incident");
    const res = await api.post("/api/now/table/incident", { short_description: "Bad state", state: "42" });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("state");
    expect(await api.count("incident")).toBe(before);

    const existing = await createIncident();
    const patch = await api.patch(`/api/now/table/incident/${existing.sys_id}`, { urgency: "9", state: "2" });
    expect(patch.status).toBe(400);
    expect(failureOf(patch).message).toContain("urgency");
    const after = await api.get(`/api/now/table/incident/${existing.sys_id}`);
    expect(after.body.result).toEqual(existing);
  });

  it("an unknown field: 400 naming the field", async () => {
    const before = await api.count("incident");
    const res = await api.post("/api/now/table/incident", { short_description: "x", colour: "blue" });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("colour");
    expect(await api.count("incident")).toBe(before);
  });

  it("a missing mandatory field: 400 naming it", async () => {
    const before = await api.count("incident");
    const res = await api.post("/api/now/table/incident", { description: "no short description" });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("short_description");
    expect(await api.count("incident")).toBe(before);
  });

  it("a body over the limit: 413 from Content-Length, before reading", async () => {
    const before = await api.count("incident");
    const res = await api.post("/api/now/table/incident", {
      short_description: "big",
      description: "x".repeat(maxBodyBytes),
    });
    expect(res.status).toBe(413);
    expect(failureOf(res).message).toMatch(/too large/);
    expect(await api.count("incident")).toBe(before);
  });

  /** POSTs a create whose body streams in the given chunks (chunked transfer encoding). */
  const postChunked = (chunks: Uint8Array[]) =>
    fetch(`${inst.url}/api/now/table/incident`, {
      method: "POST",
      headers: { Authorization: basic("admin", "admin"), "Content-Type": "application/json" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);

  it("a chunked body over the limit: 413 while streaming", async () => {
    const before = await api.count("incident");
    const json = JSON.stringify({ short_description: "big", description: "y".repeat(maxBodyBytes * 2) });
    const bytes = new TextEncoder().encode(json);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 8192) chunks.push(bytes.subarray(i, i + 8192));
    const res = await postChunked(chunks);
    expect(res.status).toBe(413);
    expect(await api.count("incident")).toBe(before);
  });

  it("a refused upload far over the limit: the client gets the 413, not a reset connection", async () => {
    // Megabytes still unread when the server answers: closing the socket then sends a reset, which
    // drops the answer from the client's buffer, so the client saw a broken pipe instead of the 413.
    const before = await api.count("incident");
    const text = (t: string) => new TextEncoder().encode(t);
    const part = text("y".repeat(64 * 1024));
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await postChunked([
        text('{"short_description":"big","description":"'),
        ...Array.from({ length: 128 }, () => part),
        text('"}'),
      ]);
      expect(res.status).toBe(413);
      await res.text();
    }
    expect(await api.count("incident")).toBe(before);
  });

  it("a body that is not JSON: 415", async () => {
    const before = await api.count("incident");
    const res = await api.request("POST", "/api/now/table/incident", {
      rawBody: "short_description=form",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(await api.count("incident")).toBe(before);
  });

  it("bad query parameters: 400 naming them", async () => {
    const limit = await api.get("/api/now/table/incident?sysparm_limit=0");
    expect(limit.status).toBe(400);
    expect(failureOf(limit).message).toContain("sysparm_limit");
    const mode = await api.get("/api/now/table/incident?sysparm_display_value=maybe");
    expect(failureOf(mode).message).toContain("sysparm_display_value");
    const query = await api.get("/api/now/table/incident?sysparm_query=colour=blue");
    expect(query.status).toBe(400);
    expect(failureOf(query).message).toContain("colour");

    // Checked before writing: a create with a bad parameter creates nothing.
    const before = await api.count("incident");
    const create = await api.post("/api/now/table/incident?sysparm_display_value=maybe", {
      short_description: "x",
    });
    expect(create.status).toBe(400);
    expect(await api.count("incident")).toBe(before);
  });

  it("unknown paths: 404; unsupported methods: 405", async () => {
    expect((await api.get("/api/now/table")).status).toBe(404);
    expect((await api.get("/api/now/v3/table/incident")).status).toBe(404);
    const created = await createIncident();
    const res = await api.post(`/api/now/table/incident/${created.sys_id}`, { state: "2" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("PATCH");
  });
});

function parseLinks(header: string): Record<string, URL> {
  const links: Record<string, URL> = {};
  for (const part of header.split(",")) {
    const match = part.match(/^\s*<([^>]+)>;\s*rel="(\w+)"$/);
    if (match?.[1] && match[2]) links[match[2]] = new URL(match[1]);
  }
  return links;
}
