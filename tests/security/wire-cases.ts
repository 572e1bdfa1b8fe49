import { sign } from "../../server/transport/signing";
import type { RawRequest } from "../support/http-load";
import { basic } from "../support/instances";
import { createRng, headerSafe, hostileStrings, percentEncode, type Rng } from "../support/random";

// Generated requests to the wire protocol's endpoints (SPEC 3.3, 3.6) for the fuzz suite.
// Each case says whether it may change state: refused ones (bad credentials, bad signatures,
// stale or replayed timestamps, malformed or invalid bodies, unknown attachment keys) must
// change nothing; well-formed, correctly signed messages may be accepted.

export interface WireCredentials {
  user: string;
  password: string;
  signingSecret: string;
  /** The receiver's remote-system id for the sender, and the sender's id there. */
  remoteId: string;
  peerRemoteId: string;
}

export interface FuzzCase {
  kind: string;
  mayChange: boolean;
  /** Sends a wrong credential: these go last, since failed sign-ins may be throttled (429). */
  wrongCredentials: boolean;
  /** Built at send time, so signatures carry a fresh timestamp (or the stale one the case wants). */
  build: () => RawRequest;
}

const endpoints = {
  messages: "/api/sync/v1/messages",
  validate: "/api/sync/v1/validate",
  request: "/api/sync/v1/attachments/request",
  complete: "/api/sync/v1/attachments/complete",
} as const;

const otherSecret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;

export function wireCaseGenerator(master: Rng, creds: WireCredentials, maxBodyBytes: number) {
  // Cases are chosen from `master`; each then builds its request from a seed of its own, so a
  // batch built again (to find which request changed state) is the same batch.
  let rng = master;
  const replayable = (c: FuzzCase): FuzzCase => {
    const seed = master.int(0, 2 ** 32 - 1);
    return {
      ...c,
      build: () => {
        const outer = rng;
        rng = createRng(seed);
        try {
          return c.build();
        } finally {
          rng = outer;
        }
      },
    };
  };
  const id = () => `fz-${rng.int(0, 2 ** 31)}-${rng.int(0, 2 ** 31)}`;
  const hostile = () => rng.pick(hostileStrings);
  const anyString = () => (rng.chance(0.5) ? hostile() : rng.string(40));

  /** A JSON value of any type, sometimes nested deeply or with prototype-pollution keys. */
  const value = (depth = 0): unknown => {
    const roll = rng.int(0, depth > 3 ? 5 : 9);
    switch (roll) {
      case 0:
        return null;
      case 1:
        return rng.chance(0.5);
      case 2:
        return rng.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, rng.int(-1e9, 1e9)]);
      case 3:
      case 4:
      case 5:
        return anyString();
      case 6:
      case 7:
        return Array.from({ length: rng.int(0, 4) }, () => value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = rng.int(0, 4); i > 0; i--) {
          o[rng.chance(0.3) ? rng.pick(["__proto__", "constructor", "prototype", "toString"]) : anyString()] =
            value(depth + 1);
        }
        return o;
      }
    }
  };
  const deep = (levels: number, leaf: unknown = 1): string =>
    `${"[".repeat(levels)}${JSON.stringify(leaf)}${"]".repeat(levels)}`;

  const payload = (): Record<string, unknown> => ({
    capture_metadata: {
      changed_by: anyString(),
      timestamp: rng.chance(0.7)
        ? new Date(Date.UTC(2026, 0, 1) + rng.int(0, 1e9) * 1000).toISOString()
        : anyString(),
      capture_definition: anyString(),
      operation: rng.pick(["create", "update", "delete", "bogus"]),
      source_table: rng.pick(["incident", "sys_user", "x", hostile()]),
      sys_id: anyString(),
    },
    changed_fields: Array.from({ length: rng.int(0, 4) }, () => ({
      key: rng.pick(["short_description", "description", "state", "caller", "__proto__", hostile()]),
      value: rng.chance(0.7) ? anyString() : value(),
      display_value: anyString(),
      changed: rng.chance(0.8) ? true : value(),
      clock: rng.chance(0.8) ? { counter: rng.int(0, 1000), origin: anyString() } : value(),
    })),
    journal_entries: rng.chance(0.7)
      ? []
      : [
          {
            element: rng.pick(["comments", "work_notes", hostile()]),
            value: anyString(),
            created_by: anyString(),
          },
        ],
    attachment_metadata: [],
    ...(rng.chance(0.2) ? { [rng.pick(["__proto__", "constructor"])]: { polluted: true } } : {}),
  });

  const message = (): Record<string, unknown> => ({
    id: `fuzz-${id()}`,
    process_event: rng.chance(0.7) ? "Hardware Request" : anyString() || "x",
    operation: rng.pick(["create", "update", "delete"]),
    sender_correlation_id: rng.chance(0.8) ? rng.bytes(16).toString("hex") : anyString().slice(0, 100) || "s",
    receiver_correlation_id: rng.chance(0.7) ? null : rng.pick([undefined, rng.bytes(16).toString("hex")]),
    lane_sequence: rng.int(0, 10),
    payload: payload(),
  });

  /** One way to make a message batch invalid for the schema (400), chosen at random. */
  const invalidBatch = (): unknown => {
    const m = message();
    // Values each field's schema refuses (server/protocol/wire-schema.ts): the batch must fail.
    const invalid: Record<string, readonly unknown[]> = {
      id: [undefined, null, "", 5, "x".repeat(201), []],
      process_event: [undefined, null, "", 5, "x".repeat(101), {}],
      operation: [undefined, null, "", "bogus", "CREATE", 1],
      sender_correlation_id: [undefined, null, "", 7, "x".repeat(101)],
      receiver_correlation_id: [5, "x".repeat(101), {}, true],
      lane_sequence: [undefined, null, -1, 1.5, "1", 2 ** 60, Number.NaN],
      payload: [undefined, null, "x", [], 5, true],
    };
    const field = rng.pick(Object.keys(invalid));
    const broken = rng.pick(invalid[field] ?? [undefined]);
    if (broken === undefined) delete m[field];
    else m[field] = broken;
    return rng.pick<unknown>([
      { messages: [message(), m] },
      { messages: [] },
      { messages: m },
      { messages: "[]" },
      { message: [message()] },
      [message()],
      { messages: Array.from({ length: 1001 }, () => ({ id: "x" })) },
      null,
      42,
      "messages",
      { __proto__: { messages: [message()] } },
      JSON.parse(`{"__proto__": {"messages": [${JSON.stringify(message())}]}}`),
      { constructor: { prototype: { messages: [message()] } } },
      { messages: [{ ...m, payload: "not an object" }] },
      { messages: [{ ...message(), lane_sequence: rng.pick([-5, 0.5, "7", 2 ** 60, null]) }] },
    ]);
  };

  /** Bodies that are not JSON at all, or JSON that breaks parsers. */
  const malformed = (): string =>
    rng.pick([
      "",
      "{",
      "{not json",
      '{"messages": [',
      `${JSON.stringify({ messages: [message()] })}garbage`,
      '{"messages": NaN}',
      "\u0000\u0001\u0002",
      "\ufeff{}",
      '{"a":"\\ud800"}',
      deep(rng.int(5_000, 20_000)),
      `{"messages":[{"id":"x","payload":${deep(rng.int(1_000, 5_000), {})}}]}`,
      rng.bytes(rng.int(1, 500)).toString("latin1"),
      "[".repeat(rng.int(1, 30_000)),
    ]);

  const auth = (): string => basic(creds.user, creds.password);
  const signed = (body: string, at = new Date(), secret = creds.signingSecret): Record<string, string> => ({
    "content-type": "application/json",
    authorization: auth(),
    ...sign(secret, `msg_${id()}`, body, at),
  });

  /** Correct credentials, but the signature or its headers are wrong. */
  const badSignature = (body: string): Record<string, string> => {
    const good = signed(body);
    const roll = rng.int(0, 10);
    switch (roll) {
      case 0:
        return { ...good, "webhook-signature": `v1,${rng.bytes(32).toString("base64")}` };
      case 1:
        return signed(body, new Date(), otherSecret);
      case 2:
        return signed(body, new Date(Date.now() - rng.int(301, 86_400) * 1000));
      case 3:
        return signed(body, new Date(Date.now() + rng.int(301, 86_400) * 1000));
      case 4: {
        // A signature replayed from another body.
        const other = signed(`${body} `);
        return { ...good, "webhook-signature": other["webhook-signature"] ?? "" };
      }
      case 5:
        return { ...good, "webhook-id": `${good["webhook-id"]}x` };
      case 6:
        return { ...good, "webhook-timestamp": rng.pick(["", "abc", "-1", "1e99", "0x10", " 1"]) };
      case 7: {
        const { "webhook-signature": _s, ...rest } = good;
        return rest;
      }
      case 8:
        return {
          ...good,
          "webhook-signature": rng.pick(["", "v1,", "v2,abc", "v1", headerSafe(hostile()), "v1,===="]),
        };
      case 9: {
        const { "webhook-id": _i, "webhook-timestamp": _t, ...rest } = good;
        return rest;
      }
      default:
        return { ...good, "webhook-timestamp": String(Number(good["webhook-timestamp"]) + 1) };
    }
  };

  /** A wrong or malformed credential, with an otherwise valid signature. */
  const badAuth = (body: string): Record<string, string> => {
    const headers = signed(body);
    headers.authorization = rng.pick([
      basic(creds.user, `${creds.password}x`),
      basic(creds.user, ""),
      basic(`nobody-${rng.int(0, 50)}`, "x"),
      basic("admin", "admin"), // a real user, but not a sync_api user
      basic(creds.user.toUpperCase(), creds.password),
      `Basic ${Buffer.from(creds.user).toString("base64")}`,
      "Basic !!!not-base64!!!",
      "Basic ",
      `Bearer ${creds.password}`,
      `basic ${Buffer.from(`${creds.user}:${creds.password}`).toString("base64")}x`,
      basic(hostile(), hostile()),
    ]);
    if (rng.chance(0.1)) delete headers.authorization;
    return headers;
  };

  const post = (path: string, body: string, headers: Record<string, string>): RawRequest => ({
    method: "POST",
    path,
    headers,
    body,
  });
  const transferBody = (): string =>
    JSON.stringify(
      rng.chance(0.8)
        ? {
            receiver_correlation_id: rng.chance(0.5) ? rng.bytes(16).toString("hex") : anyString() || "c",
            keys: Array.from({ length: rng.int(1, 5) }, () =>
              rng.pick([rng.bytes(rng.int(10, 200)).toString("base64url"), hostile() || "k", "a.b.c"]),
            ),
          }
        : value(),
    );

  /** A refused (or no-op) request; `wrongCredentials` ones only when asked. */
  function refused(wrongCredentials: boolean): FuzzCase {
    const endpoint = rng.pick([
      "messages",
      "messages",
      "messages",
      "validate",
      "request",
      "complete",
      "put",
    ] as const);
    const validBody = () =>
      endpoint === "validate"
        ? JSON.stringify({
            caller_remote_system_id: creds.peerRemoteId,
            expected_remote_system_id: creds.remoteId,
          })
        : endpoint === "messages"
          ? JSON.stringify({ messages: Array.from({ length: rng.int(1, 3) }, message) })
          : transferBody();
    if (endpoint === "put") return putCase(wrongCredentials);
    const path = endpoints[endpoint];
    if (wrongCredentials) {
      return {
        kind: `${endpoint}: bad credentials`,
        mayChange: false,
        wrongCredentials,
        build: () => {
          const body = validBody();
          return post(path, body, badAuth(body));
        },
      };
    }
    const fault = rng.pick([
      "signature",
      "signature",
      "malformed",
      "schema",
      "schema",
      "oversize",
      "method",
      "headers",
    ]);
    const kind = `${endpoint}: ${fault}`;
    const build = (): RawRequest => {
      switch (fault) {
        case "signature": {
          const body = validBody();
          return post(path, body, badSignature(body));
        }
        case "malformed": {
          const body = malformed();
          return post(path, body, signed(body));
        }
        case "schema": {
          const body =
            endpoint === "messages"
              ? JSON.stringify(invalidBatch())
              : endpoint === "validate"
                ? JSON.stringify(
                    rng.chance(0.5)
                      ? value()
                      : { caller_remote_system_id: anyString(), expected_remote_system_id: anyString() },
                  )
                : transferBody();
          return post(path, body, signed(body));
        }
        case "oversize": {
          const body = JSON.stringify({
            messages: [{ ...message(), payload: { blob: "x".repeat(maxBodyBytes) } }],
          });
          return post(path, body, signed(body));
        }
        case "method": {
          const method = rng.pick(["GET", "PUT", "DELETE", "PATCH"]);
          const body = method === "GET" ? "" : validBody();
          return { method, path, headers: signed(body), ...(method === "GET" ? {} : { body }) };
        }
        default: {
          // Header values far past what a server should read (Node answers 431 above 16 KiB).
          const body = validBody();
          const headers = signed(body);
          const name = rng.pick(["webhook-signature", "webhook-id", "x-filler"]);
          headers[name] = "v".repeat(rng.int(17_000, 40_000));
          return post(path, body, headers);
        }
      }
    };
    return { kind, mayChange: false, wrongCredentials, build };
  }

  /** PUT /attachments/{key}: never requested keys, bad hashes and lengths, bad signatures. */
  function putCase(wrongCredentials: boolean): FuzzCase {
    return {
      kind: wrongCredentials ? "attachment put: bad credentials" : "attachment put: unknown key",
      mayChange: false,
      wrongCredentials,
      build: () => {
        const key = rng.pick([
          rng.bytes(rng.int(8, 120)).toString("base64url"),
          "%2e%2e%2f%2e%2e%2fetc",
          "..",
          hostile() || "k",
        ]);
        const bytes = rng.bytes(rng.int(0, 2000));
        const hash = rng.chance(0.7) ? rng.bytes(32).toString("hex") : headerSafe(anyString());
        const signedOver = `${key}.${hash}.${bytes.length}`;
        const headers: Record<string, string> = {
          "content-type": "application/octet-stream",
          "x-tandem-hash": hash,
          ...(wrongCredentials
            ? badAuth(signedOver)
            : rng.chance(0.5)
              ? signed(signedOver)
              : badSignature(signedOver)),
        };
        delete headers["content-type"];
        return {
          method: "PUT",
          path: `/api/sync/v1/attachments/${percentEncode(key)}`,
          headers,
          body: bytes,
        };
      },
    };
  }

  /** A well-formed, correctly signed batch with hostile contents: may be accepted. */
  function accepted(): FuzzCase {
    return {
      kind: "messages: signed, well-formed",
      mayChange: true,
      wrongCredentials: false,
      build: () => {
        const body = JSON.stringify({ messages: Array.from({ length: rng.int(1, 3) }, message) });
        const headers = signed(body);
        if (rng.chance(0.2))
          headers["content-type"] = rng.pick(["text/plain", "application/x-www-form-urlencoded", "x/y"]);
        return post(endpoints.messages, body, headers);
      },
    };
  }

  return {
    refused: (wrongCredentials: boolean) => replayable(refused(wrongCredentials)),
    accepted: () => replayable(accepted()),
  };
}
