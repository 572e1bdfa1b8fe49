import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentKeys } from "../../server/attachments/synthetic-keys";
import { demoCredentials } from "../../server/instance/demo-sync-seed";
import { decodePayload } from "../../server/queue/payload-codec";
import { SecretBox } from "../../server/sync/secrets";
import { sign } from "../../server/transport/signing";
import { basic } from "../support/instances";
import {
  admin,
  api,
  hardwareGroup,
  type Pair,
  type PairMember,
  query,
  restart,
  startPair,
  trpc,
  waitFor,
} from "../support/pair";
import { testBackend, testSecretKey } from "../support/test-backend";

// Attachments and journal entries travel with the sync (SPEC 3.6, 3.7), over real HTTP:
//   alpha: file attached ──metadata + synthetic key──▶ beta: identify new → request by key
//   alpha ◀──request── beta;  alpha ──PUT bytes──▶ beta (hash checked) ──complete──▶ moved onto the record
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function attach(
  m: PairMember,
  sysId: string,
  fileName: string,
  bytes: Buffer,
  type = "application/octet-stream",
) {
  const res = await fetch(
    `${m.inst.url}/api/now/attachment/file?table_name=incident&table_sys_id=${sysId}&file_name=${encodeURIComponent(fileName)}`,
    { method: "POST", headers: { authorization: admin, "content-type": type }, body: new Uint8Array(bytes) },
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { result: { sys_id: string; file_name: string } }).result;
}

async function attachmentsOf(m: PairMember, sysId: string) {
  const res = await api<{ result: Array<{ sys_id: string; file_name: string; hash: string }> }>(
    m,
    "GET",
    `/api/now/attachment?sysparm_query=table_sys_id=${sysId}`,
  );
  return res.body.result;
}

async function download(m: PairMember, attachmentId: string): Promise<Buffer> {
  const res = await fetch(`${m.inst.url}/api/now/attachment/${attachmentId}/file`, {
    headers: { authorization: admin },
  });
  return Buffer.from(await res.arrayBuffer());
}

const count = (m: PairMember, sql: string, ...params: unknown[]) =>
  query<{ n: number }>(m, sql, ...params)[0]?.n ?? 0;

describe("attachments and journal entries travel with the sync", () => {
  let pair: Pair;
  let alphaId: string;
  let betaId: string;
  const files = new Map<string, Buffer>();

  beforeAll(async () => {
    pair = await startPair({}, { beta: { TANDEM_MAX_ATTACHMENT_BYTES: String(3 * 1024 * 1024) } });
    const group = await hardwareGroup(pair.alpha);
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Broken screen",
      assignment_group: group,
    });
    alphaId = created.body.result.sys_id as string;
    await waitFor(
      () => count(pair.beta, "SELECT count(*) AS n FROM correlation") === 1,
      5000,
      "the incident on beta",
    );
    betaId =
      query<{ record_sys_id: string }>(pair.beta, "SELECT record_sys_id FROM correlation")[0]
        ?.record_sys_id ?? "";
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const waitForAttachments = (n: number) =>
    waitFor(
      async () => (await attachmentsOf(pair.beta, betaId)).length === n,
      10_000,
      `${n} attachments on beta`,
    );

  it("sends two files byte-identical, then only a third, and nothing again when all are offered", async () => {
    // ACT: two files on alpha
    for (const [name, size] of [
      ["photo.png", 150_000],
      ["notes.txt", 2_000],
    ] as const) {
      files.set(name, randomBytes(size));
      await attach(pair.alpha, alphaId, name, files.get(name) as Buffer);
    }
    // ASSERT: both on beta, byte-identical
    await waitForAttachments(2);
    for (const a of await attachmentsOf(pair.beta, betaId)) {
      const original = files.get(a.file_name) as Buffer;
      expect(sha(await download(pair.beta, a.sys_id))).toBe(sha(original));
      expect(a.hash).toBe(sha(original));
    }
    // ACT + ASSERT: a third file sends only the third
    files.set("log.csv", randomBytes(5_000));
    await attach(pair.alpha, alphaId, "log.csv", files.get("log.csv") as Buffer, "text/csv");
    await waitForAttachments(3);
    expect(count(pair.alpha, "SELECT count(*) AS n FROM attachment_push")).toBe(3);
    expect(count(pair.beta, "SELECT count(*) AS n FROM attachment_transfer")).toBe(3);

    // ACT: offer all attachments on every capture, then change a field
    const overview = (await (
      await fetch(`${pair.alpha.inst.url}/api/trpc/syncConfig.overview`, {
        headers: { authorization: admin },
      })
    ).json()) as {
      result: { data: { captures: Array<{ id: string }> } };
    };
    const captureId = overview.result.data.captures[0]?.id;
    await trpc(pair.alpha, "syncConfig.updateCapture", { id: captureId, data: { attachmentMode: "all" } });
    const before = count(pair.beta, "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'");
    await api(pair.alpha, "PATCH", `/api/now/table/incident/${alphaId}`, { description: "Still broken" });
    await waitFor(
      () => count(pair.beta, "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'") > before,
      5000,
      "the update on beta",
    );
    // ASSERT: the three offered again, none new: nothing requested or pushed
    const last = query<{ payload: string }>(
      pair.beta,
      "SELECT payload FROM inbound_queue ORDER BY sequence DESC LIMIT 1",
    )[0];
    expect(
      (decodePayload(last?.payload ?? "{}") as { attachment_metadata: unknown[] }).attachment_metadata,
    ).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 300));
    expect(count(pair.beta, "SELECT count(*) AS n FROM attachment_transfer")).toBe(3);
    expect(count(pair.alpha, "SELECT count(*) AS n FROM attachment_push")).toBe(3);
    expect(await attachmentsOf(pair.beta, betaId)).toHaveLength(3);
    await trpc(pair.alpha, "syncConfig.updateCapture", { id: captureId, data: { attachmentMode: "deltas" } });
  });

  it("reflects a deletion when the inbound flow applies deletions (the basic template does)", async () => {
    const notes = (await attachmentsOf(pair.alpha, alphaId)).find((a) => a.file_name === "notes.txt");
    const res = await fetch(`${pair.alpha.inst.url}/api/now/attachment/${notes?.sys_id}`, {
      method: "DELETE",
      headers: { authorization: admin },
    });
    expect(res.status).toBe(204);
    await waitForAttachments(2);
    expect((await attachmentsOf(pair.beta, betaId)).map((a) => a.file_name).sort()).toEqual([
      "log.csv",
      "photo.png",
    ]);
  });

  it("refuses tampered (401), expired and foreign (403) keys and transfers nothing", async () => {
    const creds = demoCredentials(pair.secret, "beta", "alpha");
    // alpha's own key: its data folder's key file, or on PostgreSQL the TANDEM_SECRET_KEY it was given
    const key = testBackend() === "postgres" ? testSecretKey(pair.alpha.dataDir) : undefined;
    const keys = new AttachmentKeys(SecretBox.fromEnvOrFile(pair.alpha.dataDir, key), 60_000);
    const real =
      query<{ key: string }>(pair.beta, "SELECT key FROM attachment_transfer LIMIT 1")[0]?.key ?? "";
    const attachmentId = (await attachmentsOf(pair.alpha, alphaId))[0]?.sys_id ?? "";
    const claims = {
      attachmentSysId: attachmentId,
      remoteSystemId: creds.peerRemoteId,
      table: "incident",
      recordSysId: alphaId,
    };
    const ask = async (key: string) => {
      const body = JSON.stringify({ receiver_correlation_id: "x", keys: [key] });
      const res = await fetch(`${pair.alpha.inst.url}/api/sync/v1/attachments/request`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: basic(creds.user, creds.password),
          ...sign(creds.signingSecret, "msg_t", body),
        },
        body,
      });
      return { status: res.status, text: await res.text() };
    };
    const pushes = count(pair.alpha, "SELECT count(*) AS n FROM attachment_push");
    const tampered = await ask(`${real.slice(0, 20)}${real[20] === "A" ? "B" : "A"}${real.slice(21)}`);
    const expired = await ask(keys.issue(claims, Date.now() - 120_000));
    const foreign = await ask(keys.issue({ ...claims, remoteSystemId: "another-remote" }));
    expect([tampered.status, expired.status, foreign.status]).toEqual([401, 403, 403]);
    expect(expired.text).toMatch(/expired/);
    expect(foreign.text).toMatch(/another remote system/);
    expect(count(pair.alpha, "SELECT count(*) AS n FROM attachment_push")).toBe(pushes);
  });

  it("refuses an oversize file and a blocked extension with a clear warning, and the record still syncs", async () => {
    await attach(pair.alpha, alphaId, "tool.exe", randomBytes(1_000));
    await attach(pair.alpha, alphaId, "dump.bin", randomBytes(3 * 1024 * 1024 + 10));
    await api(pair.alpha, "PATCH", `/api/now/table/incident/${alphaId}`, {
      short_description: "Broken screen (checked)",
    });
    await waitFor(
      async () =>
        (await api(pair.beta, "GET", `/api/now/table/incident/${betaId}`)).body.result.short_description ===
        "Broken screen (checked)",
      5000,
      "the field change on beta",
    );
    const senderWarnings = query<{ warning: string }>(
      pair.alpha,
      "SELECT warning FROM outbound_queue WHERE warning IS NOT NULL",
    ).map((r) => r.warning);
    expect(senderWarnings.join(" ")).toMatch(/tool\.exe: \.exe files are not allowed/);
    await waitFor(
      () => query(pair.beta, "SELECT 1 FROM inbound_queue WHERE warning LIKE '%dump.bin%'").length > 0,
      5000,
      "beta's warning",
    );
    const receiverWarning = query<{ warning: string; status: string }>(
      pair.beta,
      "SELECT warning, status FROM inbound_queue WHERE warning LIKE '%dump.bin%'",
    )[0];
    expect(receiverWarning?.status).toBe("processed");
    expect(receiverWarning?.warning).toMatch(/dump\.bin is 3\.0 MB, over the 3\.0 MB limit/);
    const names = (await attachmentsOf(pair.beta, betaId)).map((a) => a.file_name);
    expect(names).not.toContain("tool.exe");
    expect(names).not.toContain("dump.bin");
    expect(query(pair.beta, "SELECT 1 FROM inbound_queue WHERE status = 'error'")).toHaveLength(0);
  });

  it("stores hostile file names sanitized on both sides", async () => {
    const hostile = ["../../etc/passwd", "bad\u0000name.txt", `${"x".repeat(1000)}.txt`, "\u202Etxt.exe.pdf"];
    const stored: string[] = [];
    for (const name of hostile)
      stored.push((await attach(pair.alpha, alphaId, name, randomBytes(100))).file_name);
    expect(stored[0]).toBe("passwd");
    expect(stored[1]).toBe("badname.txt");
    expect(stored[2]?.length).toBeLessThanOrEqual(200);
    expect(stored[2]?.endsWith(".txt")).toBe(true);
    expect(stored[3]).toBe("txt.exe.pdf");
    await waitFor(
      async () => {
        const names = (await attachmentsOf(pair.beta, betaId)).map((a) => a.file_name);
        return stored.every((s) => names.includes(s as string));
      },
      10_000,
      "the hostile names on beta",
    );
    for (const a of await attachmentsOf(pair.beta, betaId)) {
      for (const bad of ["/", "\\", "\u0000", "\u202e"]) expect(a.file_name).not.toContain(bad);
      expect(a.file_name.length).toBeLessThanOrEqual(200);
    }
  });

  it("brings comments and work notes back with their author and time, once, without echo", async () => {
    // ACT: Beth comments and adds a work note on beta
    const beth = basic("beth.anglin", "beth.anglin");
    const patch = async (body: unknown) =>
      fetch(`${pair.beta.inst.url}/api/now/table/incident/${betaId}`, {
        method: "PATCH",
        headers: { authorization: beth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect(
      (await patch({ comments: "The new screen is on its way", work_notes: "Ordered from stock" })).status,
    ).toBe(200);
    const betaEntries = query<{ element: string; value: string; created_by: string; created_on: string }>(
      pair.beta,
      "SELECT element, value, created_by, created_on FROM journal_entry WHERE record_sys_id = ?",
      betaId,
    );
    expect(betaEntries).toHaveLength(2);

    // ASSERT: on alpha with the original author and time
    await waitFor(
      () =>
        count(pair.alpha, "SELECT count(*) AS n FROM journal_entry WHERE record_sys_id = ?", alphaId) === 2,
      5000,
      "the journal on alpha",
    );
    const alphaEntries = query<{ element: string; value: string; created_by: string; created_on: string }>(
      pair.alpha,
      "SELECT element, value, created_by, created_on FROM journal_entry WHERE record_sys_id = ?",
      alphaId,
    );
    expect(new Set(alphaEntries.map((e) => JSON.stringify(e)))).toEqual(
      new Set(betaEntries.map((e) => JSON.stringify(e))),
    );

    // ACT: another field changes on beta; ASSERT: old entries are not sent again
    const alphaOutbound = count(pair.alpha, "SELECT count(*) AS n FROM outbound_queue");
    expect((await patch({ close_notes: "Waiting for delivery" })).status).toBe(200);
    await waitFor(
      async () =>
        (await api(pair.alpha, "GET", `/api/now/table/incident/${alphaId}`)).body.result.close_notes ===
        "Waiting for delivery",
      5000,
      "close_notes on alpha",
    );
    const lastPayload =
      query<{ payload: string }>(
        pair.alpha,
        "SELECT payload FROM inbound_queue ORDER BY sequence DESC LIMIT 1",
      )[0]?.payload ?? "{}";
    expect((decodePayload(lastPayload) as { journal_entries: unknown[] }).journal_entries).toHaveLength(0);
    expect(
      count(pair.alpha, "SELECT count(*) AS n FROM journal_entry WHERE record_sys_id = ?", alphaId),
    ).toBe(2);
    // nothing echoed: alpha captured nothing for beta from these writes
    await new Promise((r) => setTimeout(r, 300));
    expect(count(pair.alpha, "SELECT count(*) AS n FROM outbound_queue")).toBe(alphaOutbound);
  });

  it("completes a transfer the receiver was killed in the middle of, each file once", async () => {
    // ARRANGE: three 2 MB files on a fresh incident
    const group = await hardwareGroup(pair.alpha);
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Crash during transfer",
      assignment_group: group,
    });
    const sourceId = created.body.result.sys_id as string;
    await waitFor(
      () => count(pair.beta, "SELECT count(*) AS n FROM correlation") === 2,
      5000,
      "the second incident on beta",
    );
    const targetId =
      query<{ record_sys_id: string }>(
        pair.beta,
        "SELECT record_sys_id FROM correlation ORDER BY created_at DESC LIMIT 1",
      )[0]?.record_sys_id ?? "";
    const big = [0, 1, 2].map(() => randomBytes(2 * 1024 * 1024));
    const transfersBefore = count(pair.beta, "SELECT count(*) AS n FROM attachment_transfer");

    // ACT: attach, kill beta as soon as it has asked for them, restart it
    for (const [i, bytes] of big.entries()) await attach(pair.alpha, sourceId, `scan-${i}.bin`, bytes);
    await waitFor(
      () => count(pair.beta, "SELECT count(*) AS n FROM attachment_transfer") > transfersBefore,
      10_000,
      "beta to request the files",
    );
    await pair.beta.inst.kill();
    const movedAtKill = count(
      pair.beta,
      "SELECT count(*) AS n FROM attachment_transfer WHERE status = 'moved' AND record_sys_id = ?",
      targetId,
    );
    await restart(pair.beta, "beta");

    // ASSERT: every file arrives, once, byte-identical
    await waitFor(
      async () => (await attachmentsOf(pair.beta, targetId)).length === 3,
      30_000,
      "all three files after the restart",
    );
    await new Promise((r) => setTimeout(r, 500));
    const arrived = await attachmentsOf(pair.beta, targetId);
    expect(arrived.map((a) => a.file_name).sort()).toEqual(["scan-0.bin", "scan-1.bin", "scan-2.bin"]);
    for (const a of arrived) expect(a.hash).toBe(sha(big[Number(a.file_name.slice(5, 6))] as Buffer));
    console.log(`beta killed with ${movedAtKill} of 3 files moved; all three arrived once after the restart`);
  });
});
