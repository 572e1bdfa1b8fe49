import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { type ApiRequest, NodeApiRequest } from "../http/api-request";
import { type Answer, failureReply, JsonReply } from "../http/responses";
import { staticSecurityHeaders } from "../http/security-headers";
import { nowRoutePattern, timedRoute } from "../observability/http";
import { handleNow } from "../rest/router";
import { handleMessages } from "../transport/handler";
import { instance } from "./instance";

// The two hot API routes, answered straight from node:http before Next.js routes the request:
// Table API record calls and the sync peer's messages. Through Next's route handler a Table
// API create cost 864 µs of CPU, two thirds of it Next's request pipeline (routing, its
// tracer, the NextRequest adapters, piping the response); answered here, 331 µs, and creates/s
// with 32 writers went from 1,126 to 3,012 (same machine, same run of bench/_prof-table).
// The handlers are the very ones the Next routes call (app/api/now, app/api/sync/v1/messages),
// with the same answers, the same timing metric and the same static security headers. Both read
// the request through ApiRequest (server/http/api-request.ts), built here straight from
// node:http: a web Request, its Headers and body stream cost about 30 µs of a create's CPU, and
// about 0.4 ms of a sync message's way from the socket to its accept at idle. Only requests whose
// shape is plain are taken: HEAD, OPTIONS, paths with a percent sign, a dot segment or a
// trailing slash, attachments and everything else go to Next exactly as before, so its redirects, the path guard in proxy.ts and streamed uploads keep their one
// implementation. scripts/server.mjs consults this; under a bare `next start` it is unused and
// every request takes the Next route, with the same answers.

const DIRECT = Symbol.for("tandem.directRoutes");

/** Below /api/now: table/{table} or table/{table}/{sys_id}, optionally after v1/ or v2/. */
const TABLE_PATH = /^\/api\/now\/(?:v[12]\/)?table\/[^/%]+(?:\/[^/%]+)?$/;
const MESSAGES_PATH = "/api/sync/v1/messages";
const TABLE_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** A route's handler; `path` is the request's path (no query), as directRoute matched it. */
type Route = (req: IncomingMessage, path: string) => Promise<Answer>;

/** The segments below /api/now, as the Next route's [...path] gives them. */
const segmentsOf = (path: string) => path.slice("/api/now/".length).split("/");

const timedTable = timedRoute(
  (_request: ApiRequest, path: string) => nowRoutePattern(segmentsOf(path)),
  async (request: ApiRequest, path: string) => handleNow(request, segmentsOf(path), await instance()),
);
const tableRoute: Route = (req, path) => timedTable(new NodeApiRequest(req), path);

const timedMessages = timedRoute(MESSAGES_PATH, async (request: ApiRequest) =>
  handleMessages(request, (await instance()).sync.api),
);
const messagesRoute: Route = (req) => timedMessages(new NodeApiRequest(req));

/** The route this request takes here with its path, or undefined when Next should answer it. */
export function directRoute(
  method: string | undefined,
  url: string | undefined,
): { route: Route; path: string } | undefined {
  if (!method || !url) return undefined;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (path === MESSAGES_PATH) return method === "POST" ? { route: messagesRoute, path } : undefined;
  // Dot segments ("/./", "/../") are left to Next, which resolves them as a URL parser does.
  return TABLE_METHODS.has(method) && TABLE_PATH.test(path) && !path.includes("/.")
    ? { route: tableRoute, path }
    : undefined;
}

const gzip = promisify(zlib.gzip);
/** Smaller bodies are sent as they are: gzip would cost more time than it saves on the wire. */
const COMPRESS_FROM_BYTES = 1024;

function acceptsGzip(req: IncomingMessage): boolean {
  const accepted = req.headers["accept-encoding"];
  return (
    typeof accepted === "string" && /\bgzip\b/i.test(accepted) && !/\bgzip\s*;\s*q=0(\.0*)?\b/i.test(accepted)
  );
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, answer: Answer): Promise<void> {
  // A JSON reply's text goes out as it is: node:http then writes the head and the body in one
  // piece (a Buffer body is a second chunk of a writev).
  let body: Buffer | string | undefined;
  for (const { key, value } of staticSecurityHeaders) res.setHeader(key, value);
  if (answer instanceof JsonReply) {
    body = answer.body;
    for (const name in answer.headers) res.setHeader(name, answer.headers[name] as string);
  } else {
    body = answer.body ? Buffer.from(await answer.arrayBuffer()) : undefined;
    answer.headers.forEach((value, key) => {
      res.setHeader(key, value);
    });
  }
  if (body && Buffer.byteLength(body) >= COMPRESS_FROM_BYTES && !res.hasHeader("content-encoding")) {
    res.setHeader("vary", "Accept-Encoding");
    if (acceptsGzip(req)) {
      body = await gzip(body);
      res.setHeader("content-encoding", "gzip");
    }
  }
  // What the handler left unread is read and dropped. A body still arriving (a refused upload) is
  // read to its end before the answer, which then ends the connection, as Next's route does:
  // closing while the client still sends resets the connection, and a client whose write fails
  // before it has parsed the answer reports a broken pipe instead of the 413.
  if (!req.complete) {
    res.setHeader("connection", "close");
    await discardRest(req);
  } else {
    req.removeAllListeners("data");
    req.resume();
  }
  res.statusCode = answer.status;
  res.end(body);
}

/** Beyond these, a refused upload is cut off rather than read to its end. */
const DISCARD_MAX_BYTES = 64 << 20;
const DISCARD_MAX_MS = 10_000;

/** Reads and drops the rest of the request body; resolves at its end, or when it is too long or too slow. */
function discardRest(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let dropped = 0;
    const finish = () => {
      clearTimeout(timer);
      req.off("data", count);
      req.off("end", finish);
      req.off("error", finish);
      req.off("close", finish);
      resolve();
    };
    const count = (chunk: Buffer) => {
      dropped += chunk.byteLength;
      if (dropped > DISCARD_MAX_BYTES) finish();
    };
    const timer = setTimeout(finish, DISCARD_MAX_MS);
    req.removeAllListeners("data"); // the body stream's, which would pause the socket once its buffer is full
    req.on("data", count);
    req.once("end", finish);
    req.once("error", finish);
    req.once("close", finish);
    req.resume();
  });
}

/** Answers one request taken by directRoute. Never throws: a failure is a 500 or a cut connection. */
async function serve(route: Route, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await writeResponse(req, res, await route(req, path));
  } catch (error) {
    (await instance()).logger.error({ err: error, method: req.method, url: req.url }, "direct route failed");
    if (res.headersSent) res.destroy();
    else
      await writeResponse(
        req,
        res,
        failureReply(500, "Internal server error", "The error was logged on the instance", {
          Connection: "close",
        }),
      ).catch(() => res.destroy());
  }
}

export interface DirectRoutes {
  /** Answers the request and returns true, or returns false for Next to answer it. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/** Makes the direct routes available to scripts/server.mjs, unless TANDEM_DIRECT_ROUTES=off. */
export async function registerDirectRoutes(): Promise<void> {
  const enabled = (await instance()).config.directRoutes;
  const routes: DirectRoutes = {
    handle(req, res) {
      const direct = directRoute(req.method, req.url);
      if (!direct) return false;
      void serve(direct.route, direct.path, req, res);
      return true;
    },
  };
  (globalThis as { [DIRECT]?: DirectRoutes })[DIRECT] = enabled ? routes : undefined;
}
