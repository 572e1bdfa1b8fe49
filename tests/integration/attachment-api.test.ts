import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, type RunningInstance, startInstance } from "../support/instances";
import { type ApiClient, apiClient, failureOf, type RecordJson } from "./api-client";

// The Attachment API (SPEC 1.4) against a real started instance with a 100 kB attachment limit.

const maxAttachmentBytes = 100_000;

let inst: RunningInstance;
let api: ApiClient;
let incident: RecordJson;

beforeAll(async () => {
  inst = await startInstance({
    name: "attachments",
    env: { TANDEM_MAX_ATTACHMENT_BYTES: String(maxAttachmentBytes) },
  });
  api = apiClient(inst);
  const res = await api.post("/api/now/table/incident", { short_description: "Has attachments" });
  expect(res.status).toBe(201);
  incident = res.body.result;
});

afterAll(async () => {
  await inst?.stop();
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function upload(
  fileName: string,
  bytes: Uint8Array<ArrayBuffer>,
  options: { contentType?: string; sysId?: string } = {},
) {
  const q = new URLSearchParams({
    table_name: "incident",
    table_sys_id: options.sysId ?? String(incident.sys_id),
    file_name: fileName,
  });
  return api.request<{ result: Record<string, string> }>("POST", `/api/now/attachment/file?${q}`, {
    rawBody: bytes,
    headers: { "Content-Type": options.contentType ?? "application/octet-stream" },
  });
}

async function listFor(sysId: string): Promise<Record<string, string>[]> {
  const res = await api.get<{ result: Record<string, string>[] }>(
    `/api/now/attachment?sysparm_query=table_sys_id=${sysId}`,
  );
  expect(res.status).toBe(200);
  return res.body.result;
}

/** Files in the instance's content store (temp files included), for "nothing stored" checks. */
function storedFiles(): string[] {
  const dir = path.join(inst.dataDir, "attachments");
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(dir, f)).isFile(),
  );
}

describe("attachments", () => {
  it("uploads and downloads byte-identical content", async () => {
    const bytes = randomBytes(90_000);
    const res = await upload("scan.bin", bytes);
    expect(res.status).toBe(201);
    const meta = res.body.result;
    expect(meta).toMatchObject({
      file_name: "scan.bin",
      content_type: "application/octet-stream",
      size_bytes: String(bytes.length),
      hash: sha256(bytes),
      table_name: "incident",
      table_sys_id: incident.sys_id,
      sys_created_by: "admin",
      download_link: `${inst.url}/api/now/attachment/${meta.sys_id}/file`,
    });
    expect(res.headers.get("location")).toBe(`${inst.url}/api/now/attachment/${meta.sys_id}`);

    const file = await fetch(`${inst.url}/api/now/attachment/${meta.sys_id}/file`, {
      headers: { Authorization: basic("admin", "admin") },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    // Next.js streams route handler bodies chunked (it drops Content-Length); the size is in the metadata.
    expect(JSON.parse(file.headers.get("x-attachment-metadata") ?? "{}")).toEqual(meta);
    expect(file.headers.get("content-disposition")).toBe(
      `attachment; filename="scan.bin"; filename*=UTF-8''scan.bin`,
    );
    const downloaded = new Uint8Array(await file.arrayBuffer());
    expect(sha256(downloaded)).toBe(sha256(bytes));

    const head = await fetch(`${inst.url}/api/now/attachment/${meta.sys_id}/file`, {
      method: "HEAD",
      headers: { Authorization: basic("admin", "admin") },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-disposition")).toContain("scan.bin");
  });

  it("gets metadata, lists by record, and deletes", async () => {
    const other = await api.post("/api/now/table/incident", { short_description: "Two files" });
    const sysId = String(other.body.result.sys_id);
    const a = await upload("a.txt", Buffer.from("alpha"), {
      contentType: "text/plain; charset=utf-8",
      sysId,
    });
    const b = await upload("b.txt", Buffer.from("beta"), { contentType: "text/plain", sysId });
    expect(a.body.result.content_type).toBe("text/plain");

    const meta = await api.get<{ result: Record<string, string> }>(
      `/api/now/v1/attachment/${a.body.result.sys_id}`,
    );
    expect(meta.status).toBe(200);
    expect(meta.body.result).toEqual(a.body.result);

    const listed = await listFor(sysId);
    expect(listed.map((x) => x.file_name).sort()).toEqual(["a.txt", "b.txt"]);
    const byName = await api.get<{ result: Record<string, string>[] }>(
      `/api/now/v2/attachment?sysparm_query=table_sys_id=${sysId}^file_name=b.txt`,
    );
    expect(byName.body.result.map((x) => x.sys_id)).toEqual([b.body.result.sys_id]);
    const paged = await api.get<{ result: Record<string, string>[] }>(
      `/api/now/attachment?sysparm_query=table_sys_id=${sysId}&sysparm_limit=1&sysparm_offset=1`,
    );
    expect(paged.body.result).toHaveLength(1);
    expect(paged.headers.get("x-total-count")).toBe("2");

    const del = await api.delete(`/api/now/attachment/${a.body.result.sys_id}`);
    expect(del.status).toBe(204);
    expect((await api.get(`/api/now/attachment/${a.body.result.sys_id}`)).status).toBe(404);
    expect((await api.get(`/api/now/attachment/${a.body.result.sys_id}/file`)).status).toBe(404);
    expect((await listFor(sysId)).map((x) => x.file_name)).toEqual(["b.txt"]);
  });

  it("keeps unusual file names safe in the download header", async () => {
    const res = await upload('Bericht "März"; final.txt', Buffer.from("inhalt"), {
      contentType: "text/plain",
    });
    expect(res.status).toBe(201);
    const file = await fetch(`${inst.url}/api/now/attachment/${res.body.result.sys_id}/file`, {
      headers: { Authorization: basic("admin", "admin") },
    });
    const disposition = file.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    const encoded = disposition.split("filename*=UTF-8''")[1] ?? "";
    expect(decodeURIComponent(encoded)).toBe(res.body.result.file_name);
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(JSON.parse(file.headers.get("x-attachment-metadata") ?? "{}").file_name).toBe(
      res.body.result.file_name,
    );
  });
});

describe("bad uploads change nothing", () => {
  it("an oversize attachment: 413 from Content-Length, nothing stored", async () => {
    const before = await listFor(String(incident.sys_id));
    const filesBefore = storedFiles();
    const res = await upload("big.bin", randomBytes(maxAttachmentBytes + 1));
    expect(res.status).toBe(413);
    expect(failureOf(res).message).toMatch(/too large/i);
    expect(await listFor(String(incident.sys_id))).toEqual(before);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("an oversize chunked attachment: 413 while streaming, nothing stored", async () => {
    const before = await listFor(String(incident.sys_id));
    const filesBefore = storedFiles();
    const bytes = randomBytes(maxAttachmentBytes * 2);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.subarray(i, i + 16_384));
        controller.close();
      },
    });
    const q = new URLSearchParams({
      table_name: "incident",
      table_sys_id: String(incident.sys_id),
      file_name: "x",
    });
    const res = await fetch(`${inst.url}/api/now/attachment/file?${q}`, {
      method: "POST",
      headers: { Authorization: basic("admin", "admin"), "Content-Type": "application/octet-stream" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await listFor(String(incident.sys_id))).toEqual(before);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("an attachment for a missing record: 404, nothing stored", async () => {
    const filesBefore = storedFiles();
    const missing = "0".repeat(32);
    const res = await upload("orphan.txt", Buffer.from("nobody home"), { sysId: missing });
    expect(res.status).toBe(404);
    expect(await listFor(missing)).toEqual([]);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("missing parameters and unsupported queries: 400", async () => {
    const res = await api.request("POST", "/api/now/attachment/file?table_name=incident", {
      rawBody: Buffer.from("x"),
    });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("table_sys_id");
    const query = await api.get("/api/now/attachment?sysparm_query=size_bytes>5");
    expect(query.status).toBe(400);
  });
});
