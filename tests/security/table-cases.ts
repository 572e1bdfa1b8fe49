import type { RawRequest } from "../support/http-load";
import { basic } from "../support/instances";
import { createRng, headerSafe, hostileStrings, percentEncode, type Rng } from "../support/random";
import type { FuzzCase } from "./wire-cases";

// Generated Table and Attachment API requests (SPEC 1.4) for the fuzz suite: hostile encoded
// queries, field lists, paging and display parameters, paths, methods, headers and bodies.
// Reads and refused writes must change nothing; admin writes with hostile values may.

export interface TableUsers {
  admin: string;
  itil: string;
  operator: string;
  syncApi: string;
}

const tables = ["incident", "sys_user", "sys_user_group"];
const fields = [
  "short_description",
  "state",
  "priority",
  "assignment_group",
  "caller",
  "user_name",
  "roles",
  "sys_id",
  "number",
  "comments",
  "work_notes",
  "sys_created_on",
  "name",
];
const operators = [
  "=",
  "!=",
  "LIKE",
  "STARTSWITH",
  "IN",
  "ISEMPTY",
  "ISNOTEMPTY",
  ">",
  "<",
  ">=",
  "<=",
  "NOT LIKE",
  "BETWEEN",
  "SAMEAS",
  "ENDSWITH",
  "",
];

export function tableCaseGenerator(master: Rng, users: TableUsers, incidentIds: readonly string[]) {
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
  const hostile = () => rng.pick(hostileStrings);
  const anyString = () => (rng.chance(0.5) ? hostile() : rng.string(30));
  const enc = (s: string) =>
    rng.chance(0.85) ? percentEncode(s) : s.replace(/[^!-~]|[#?&]/g, (c) => percentEncode(c));

  const term = (): string => {
    const field = rng.chance(0.8) ? rng.pick(fields) : anyString();
    return `${field}${rng.pick(operators)}${rng.chance(0.3) ? Array.from({ length: rng.int(1, 5) }, anyString).join(",") : anyString()}`;
  };
  const encodedQuery = (): string => {
    const parts = Array.from({ length: rng.int(1, 6) }, () =>
      rng.chance(0.15)
        ? rng.pick(["ORDERBY", "ORDERBYDESC"]) + (rng.chance(0.7) ? rng.pick(fields) : anyString())
        : term(),
    );
    return parts.join(rng.pick(["^", "^OR", "^NQ", "^^", "^"]));
  };
  const param = (): string => {
    const roll = rng.int(0, 7);
    switch (roll) {
      case 0:
      case 1:
        return `sysparm_query=${enc(encodedQuery())}`;
      case 2:
        return `sysparm_fields=${enc(Array.from({ length: rng.int(0, 6) }, () => (rng.chance(0.7) ? rng.pick(fields) : anyString())).join(","))}`;
      case 3:
        return `sysparm_limit=${enc(rng.pick(["0", "-1", "1", "10000", "1e9", "abc", "", "2.5", "9007199254740993", anyString()]))}`;
      case 4:
        return `sysparm_offset=${enc(rng.pick(["0", "-5", "99999999", "x", "", "1e3", anyString()]))}`;
      case 5:
        return `sysparm_display_value=${enc(rng.pick(["true", "false", "all", "TRUE", "", anyString()]))}`;
      case 6:
        return `sysparm_exclude_reference_link=${enc(rng.pick(["true", "false", "1", anyString()]))}`;
      default:
        return `${enc(anyString())}=${enc(anyString())}`;
    }
  };
  const query = () => Array.from({ length: rng.int(0, 5) }, param).join("&");
  const prefix = () => rng.pick(["/api/now", "/api/now/v1", "/api/now/v2"]);
  const table = () => (rng.chance(0.85) ? rng.pick(tables) : enc(anyString()) || "x");
  const sysId = () =>
    rng.pick([
      rng.bytes(16).toString("hex"),
      ...incidentIds.slice(0, 3),
      enc(anyString()) || "y",
      "00000000000000000000000000000000",
    ]);

  const value = (): unknown =>
    rng.pick<unknown>([
      anyString(),
      anyString(),
      rng.int(-1e6, 1e6),
      null,
      true,
      [anyString()],
      { [anyString()]: anyString() },
      { __proto__: { admin: true } },
    ]);
  const body = (): string => {
    const roll = rng.int(0, 9);
    if (roll === 0)
      return rng.pick([
        "{",
        "[",
        "",
        "null",
        "\u0000",
        '{"a":',
        `${"[".repeat(10_000)}`,
        rng.bytes(50).toString("latin1"),
      ]);
    if (roll === 1)
      return JSON.stringify(rng.pick<unknown>([[], "x", 1, null, [{ short_description: "x" }]]));
    const o: Record<string, unknown> = {};
    for (let i = rng.int(1, 5); i > 0; i--) {
      o[
        rng.chance(0.7)
          ? rng.pick([
              ...fields,
              "sys_mod_count",
              "sys_domain",
              "sys_class_name",
              "user_password",
              "__proto__",
              "constructor",
            ])
          : anyString()
      ] = value();
    }
    return JSON.stringify(o);
  };

  const headers = (authorization: string | null, withBody: boolean): Record<string, string> => {
    const h: Record<string, string> = {};
    if (authorization) h.authorization = authorization;
    if (withBody)
      h["content-type"] = rng.chance(0.85)
        ? "application/json"
        : rng.pick(["text/plain", "application/xml", "multipart/form-data", headerSafe(hostile()) || "x"]);
    if (rng.chance(0.2))
      h.accept = rng.pick(["application/xml", "*/*", "text/html", headerSafe(hostile()) || "x"]);
    if (rng.chance(0.1)) h.origin = rng.pick(["https://evil.example", "null", headerSafe(hostile()) || "x"]);
    if (rng.chance(0.05)) h["x-forwarded-host"] = headerSafe(hostile()) || "evil";
    return h;
  };

  /** Reads with hostile parameters, and writes that must be refused. */
  function refused(wrongCredentials: boolean): FuzzCase {
    if (wrongCredentials) {
      const auth = rng.pick([basic("admin", "wrong"), basic("nobody", "x"), users.syncApi, "Basic xx", null]);
      const method = rng.pick(["GET", "POST", "PATCH", "DELETE"]);
      return {
        kind: "table: bad credentials or sync_api",
        mayChange: false,
        wrongCredentials,
        build: () => ({
          method,
          path: `${prefix()}/table/${table()}${method === "POST" || method === "GET" ? "" : `/${sysId()}`}?${query()}`,
          headers: headers(auth, method !== "GET"),
          ...(method === "GET" ? {} : { body: body() }),
        }),
      };
    }
    const kind = rng.pick([
      "list",
      "list",
      "list",
      "get",
      "attachments",
      "forbidden-write",
      "missing-record",
      "malformed-body",
      "odd-path",
      "odd-method",
    ]);
    const build = (): RawRequest => {
      switch (kind) {
        case "list":
          return {
            method: rng.chance(0.9) ? "GET" : "HEAD",
            path: `${prefix()}/table/${table()}?${query()}`,
            headers: headers(rng.pick([users.admin, users.admin, users.itil, users.operator]), false),
          };
        case "get":
          return {
            method: "GET",
            path: `${prefix()}/table/${table()}/${sysId()}?${query()}`,
            headers: headers(users.admin, false),
          };
        case "attachments":
          return rng.chance(0.5)
            ? {
                method: "GET",
                path: `${prefix()}/attachment?${rng.chance(0.7) ? `sysparm_query=${enc(encodedQuery())}` : query()}`,
                headers: headers(users.admin, false),
              }
            : {
                method: "GET",
                path: `${prefix()}/attachment/${sysId()}${rng.chance(0.5) ? "/file" : ""}`,
                headers: headers(users.admin, false),
              };
        case "forbidden-write": {
          // itil may not write users or groups; an operator may write nothing.
          const [auth, t] = rng.pick([
            [users.itil, "sys_user"],
            [users.itil, "sys_user_group"],
            [users.operator, "incident"],
            [users.operator, "sys_user"],
          ] as const);
          const method = rng.pick(["POST", "PUT", "PATCH", "DELETE"]);
          const id =
            method === "POST"
              ? ""
              : `/${rng.pick([...incidentIds.slice(0, 2), rng.bytes(16).toString("hex")])}`;
          return { method, path: `${prefix()}/table/${t}${id}`, headers: headers(auth, true), body: body() };
        }
        case "missing-record": {
          const method = rng.pick(["PUT", "PATCH", "DELETE", "GET"]);
          return {
            method,
            path: `${prefix()}/table/${rng.pick(tables)}/${rng.bytes(16).toString("hex")}`,
            headers: headers(users.admin, method !== "GET"),
            ...(method === "GET" ? {} : { body: body() }),
          };
        }
        case "malformed-body":
          return {
            method: rng.pick(["POST", "PUT", "PATCH"]),
            path: `${prefix()}/table/${rng.pick([...tables, "nosuchtable"])}${rng.chance(0.5) ? `/${rng.bytes(16).toString("hex")}` : ""}`,
            headers: headers(users.admin, true),
            body: rng.pick([
              "{",
              "[",
              '"x',
              '{"short_description":}',
              "\u0000",
              `{"a":${"[".repeat(20_000)}`,
              "x".repeat(rng.int(1, 5000)),
            ]),
          };
        case "odd-path":
          return {
            method: "GET",
            path: rng.pick([
              `/api/now/${enc(anyString())}`,
              "/api/now/v3/table/incident",
              `/api/now/table/incident/${sysId()}/x/y`,
              "/api/now/table/",
              "/api/now/table/..%2f..%2fsys_user",
              "/api/now/table/%2e%2e/sys_user",
              "/api/now/table/incident%00",
              "/api/now//table//incident",
              `/api/now/table/${"a".repeat(3000)}`,
              "/api/now/attachment/file",
              "/api/now/table/incident?sysparm_query=%",
              "/api/now/table/incident?%%%=%%%",
              "/api/now/table/user_credential",
              "/api/now/table/sqlite_master",
            ]),
            headers: headers(users.admin, false),
          };
        default:
          return {
            method: rng.pick(["OPTIONS", "PROPFIND", "FOO", "PURGE"]),
            path: `${prefix()}/table/${table()}`,
            headers: headers(users.admin, false),
          };
      }
    };
    return { kind: `table: ${kind}`, mayChange: false, wrongCredentials, build };
  }

  /** Admin writes with hostile values: may create or change records (and their captures). */
  function accepted(): FuzzCase {
    return {
      kind: "table: admin write",
      mayChange: true,
      wrongCredentials: false,
      build: () => {
        const method = rng.pick(["POST", "POST", "PATCH", "PUT"]);
        const t = rng.chance(0.8) ? "incident" : rng.pick(["sys_user", "sys_user_group"]);
        const id =
          method === "POST"
            ? ""
            : `/${t === "incident" ? rng.pick(incidentIds) : rng.bytes(16).toString("hex")}`;
        return {
          method,
          path: `${prefix()}/table/${t}${id}?${query()}`,
          headers: headers(users.admin, true),
          body: body(),
        };
      },
    };
  }

  return {
    refused: (wrongCredentials: boolean) => replayable(refused(wrongCredentials)),
    accepted: () => replayable(accepted()),
  };
}
