import type { ApiRequest } from "../http/api-request";
import { bodyFullyRead } from "../http/body";
import { type Answer, ApiError, errorReply } from "../http/responses";
import {
  deleteAttachment,
  downloadAttachment,
  getAttachment,
  listAttachments,
  uploadAttachment,
} from "./attachment-handlers";
import { type RestContext, type RestDeps, restContext } from "./context";
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord } from "./table-handlers";

// Routes of /api/now/… (the Table and Attachment APIs), the same under /api/now/v1/… and
// /api/now/v2/…. The Next.js route only hands over the path; this module picks the handler.

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Handler = (ctx: RestContext, params: Record<string, string>) => Promise<Answer>;

interface Route {
  /** Literal segments, or ":name" for a parameter. */
  pattern: string[];
  methods: Partial<Record<Method, Handler>>;
}

const routes: Route[] = [
  { pattern: ["table", ":table"], methods: { GET: listRecords, POST: createRecord } },
  {
    pattern: ["table", ":table", ":sys_id"],
    methods: { GET: getRecord, PUT: updateRecord, PATCH: updateRecord, DELETE: deleteRecord },
  },
  { pattern: ["attachment"], methods: { GET: listAttachments } },
  { pattern: ["attachment", "file"], methods: { POST: uploadAttachment } },
  { pattern: ["attachment", ":sys_id"], methods: { GET: getAttachment, DELETE: deleteAttachment } },
  { pattern: ["attachment", ":sys_id", "file"], methods: { GET: downloadAttachment } },
];

/** Every route below /api/now as "METHOD /pattern" (for the RBAC matrix test). */
export function restRouteList(): Array<{ method: Method; pattern: string }> {
  return routes.flatMap((route) =>
    (Object.keys(route.methods) as Method[]).map((method) => ({
      method,
      pattern: `/${route.pattern.join("/")}`,
    })),
  );
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** The route for a path below /api/now (an optional v1/v2 first), or null. */
export function matchRoute(path: readonly string[]): RouteMatch | null {
  const segments = path[0] === "v1" || path[0] === "v2" ? path.slice(1) : path;
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.pattern.every((part, i) => {
      const segment = segments[i] ?? "";
      if (part.startsWith(":")) {
        params[part.slice(1)] = segment;
        return segment !== "";
      }
      return part === segment;
    });
    if (matches) return { route, params };
  }
  return null;
}

/** Answers one request to /api/now/{path}. Authentication comes first, so nothing is revealed to strangers. */
export async function handleNow(
  request: ApiRequest,
  path: readonly string[],
  inst: RestDeps,
): Promise<Answer> {
  try {
    const ctx = await restContext(request, inst);
    const match = matchRoute(path);
    if (!match) {
      throw new ApiError(404, "Requested URI does not represent any resource", `/api/now/${path.join("/")}`);
    }
    // Next.js answers HEAD with the GET handler (and drops the body).
    const method = request.method === "HEAD" ? "GET" : request.method;
    const handler = match.route.methods[method as Method];
    if (!handler) {
      const allowed = Object.keys(match.route.methods).join(", ");
      throw new ApiError(
        405,
        "Method not Supported",
        `${request.method} is not supported here; use ${allowed}`,
        {
          Allow: allowed,
        },
      );
    }
    return await handler(ctx, match.params);
  } catch (error) {
    const reply = errorReply(error, (e) =>
      inst.logger.error({ err: e, method: request.method, path: path.join("/") }, "REST request failed"),
    );
    if (!bodyFullyRead(request)) reply.headers.connection = "close";
    return reply;
  }
}
