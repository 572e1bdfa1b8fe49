import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newSigningSecret } from "../sync/secrets";
import { sign, verify } from "./signing";

// Peers may verify with any Standard Webhooks implementation: the reference library is the judge.
describe("Standard Webhooks signatures", () => {
  const secret = newSigningSecret();
  const body = JSON.stringify({ messages: [{ id: "m1", payload: { short_description: "Disk ✓" } }] });

  it("signs what the reference library verifies, and verifies what it signs", () => {
    const ours = sign(secret, "msg_1", body);
    expect(() => new Webhook(secret).verify(body, { ...ours }, { jsonParse: false })).not.toThrow();
    const at = new Date();
    const theirs = {
      "webhook-id": "msg_2",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_2", at, body),
    };
    expect(() => verify(secret, body, theirs)).not.toThrow();
    expect(ours["webhook-signature"]).toBe(
      new Webhook(secret).sign("msg_1", new Date(Number(ours["webhook-timestamp"]) * 1000), body),
    );
  });

  it("refuses a changed body, another secret, a stale or future timestamp and missing headers", () => {
    const headers = sign(secret, "msg_3", body);
    expect(() => verify(secret, `${body} `, { ...headers })).toThrow("No matching signature found");
    expect(() => verify(newSigningSecret(), body, { ...headers })).toThrow("No matching signature found");
    const old = sign(secret, "msg_4", body, new Date(Date.now() - 6 * 60_000));
    expect(() => verify(secret, body, { ...old })).toThrow("Message timestamp too old");
    const future = sign(secret, "msg_5", body, new Date(Date.now() + 6 * 60_000));
    expect(() => verify(secret, body, { ...future })).toThrow("Message timestamp too new");
    expect(() => verify(secret, body, { "webhook-id": "x", "webhook-timestamp": "1" })).toThrow(
      "Missing required headers",
    );
    expect(() => verify(secret, body, { ...headers, "webhook-timestamp": "soon" })).toThrow(
      "Invalid Signature Headers",
    );
  });

  it("accepts any one matching signature of several (key rotation)", () => {
    const headers = sign(secret, "msg_6", body);
    const rotated = { ...headers, "webhook-signature": `v1,bm90IGl0 ${headers["webhook-signature"]} v2,zzz` };
    expect(() => verify(secret, body, rotated)).not.toThrow();
  });
});
