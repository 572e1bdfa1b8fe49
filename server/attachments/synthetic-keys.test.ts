import { describe, expect, it } from "vitest";
import { SecretBox } from "../sync/secrets";
import { AttachmentKeys } from "./synthetic-keys";

describe("AttachmentKeys", () => {
  const keys = new AttachmentKeys(SecretBox.forTests(), 60_000);
  const claims = { attachmentSysId: "a1", remoteSystemId: "beta", table: "incident", recordSysId: "r1" };

  it("opens its own keys for the remote they were issued to", () => {
    const key = keys.issue(claims);
    expect(keys.check(key, "beta")).toMatchObject({ ok: true, claims: { ...claims } });
  });

  it("refuses tampered (401), foreign (403) and expired (403) keys", () => {
    const key = keys.issue(claims);
    // One character of the IV changed (never the last, whose spare bits may not decode to a
    // change; and always to a different character: the old version kept the key 1 time in 64).
    const at = "ak1.".length + 5;
    const flipped = `${key.slice(0, at)}${key[at] === "A" ? "B" : "A"}${key.slice(at + 1)}`;
    expect(flipped).not.toBe(key);
    expect(keys.check(flipped, "beta")).toMatchObject({ ok: false, status: 401, reason: "tampered" });
    expect(keys.check("ak1.garbage", "beta")).toMatchObject({ ok: false, status: 401 });
    expect(keys.check(key, "gamma")).toMatchObject({ ok: false, status: 403, reason: "foreign" });
    expect(keys.check(keys.issue(claims, Date.now() - 120_000), "beta")).toMatchObject({
      ok: false,
      status: 403,
      reason: "expired",
    });
  });

  it("keys of another instance do not open", () => {
    const other = new AttachmentKeys(SecretBox.forTests(), 60_000);
    expect(keys.check(other.issue(claims), "beta")).toMatchObject({ ok: false, status: 401 });
  });
});
