import { Readable } from "node:stream";
import { z } from "zod";
import { bodyChunks, checkDeclaredLength } from "../http/body";
import { ApiError, noContent, resultResponse } from "../http/responses";
import { requireWrite } from "./access";
import { attachmentFilter, attachmentJson, contentDisposition, uploadContentType } from "./attachment-view";
import type { RestContext } from "./context";
import { pagingHeaders } from "./paging";
import { parseTableParams } from "./query-params";

// The Attachment API (SPEC 1.4). Uploads stream straight to the content store with the size
// limit enforced twice: from Content-Length before reading, and while the bytes arrive.

type Params = Record<string, string>;

const uploadSchema = z.object({
  table_name: z.string().trim().min(1, "is required"),
  table_sys_id: z.string().trim().min(1, "is required"),
  file_name: z.string().trim().min(1, "is required"),
});

/** POST /attachment/file?table_name=&table_sys_id=&file_name= with the raw bytes as body. */
export async function uploadAttachment(ctx: RestContext): Promise<Response> {
  const { records, attachments, config } = ctx.inst;
  const parsed = uploadSchema.safeParse({
    table_name: ctx.url.searchParams.get("table_name") ?? "",
    table_sys_id: ctx.url.searchParams.get("table_sys_id") ?? "",
    file_name: ctx.url.searchParams.get("file_name") ?? "",
  });
  if (!parsed.success) {
    const name = String(parsed.error.issues[0]?.path[0] ?? "parameter");
    throw new ApiError(400, `Invalid ${name}`, `The query parameter ${name} is required`);
  }
  const target = parsed.data;
  records.registry.require(target.table_name); // 400 naming an unknown table
  requireWrite(ctx.user, target.table_name);
  await records.require(target.table_name, target.table_sys_id); // 404 before a byte is read
  checkDeclaredLength(ctx.request, config.maxAttachmentBytes, "Attachment");
  const row = await attachments.add(
    {
      tableName: target.table_name,
      tableSysId: target.table_sys_id,
      fileName: target.file_name,
      contentType: uploadContentType(ctx.request.headers.get("content-type")),
      body: bodyChunks(ctx.request),
    },
    ctx.actor,
  );
  return resultResponse(attachmentJson(row, ctx.baseUrl), {
    status: 201,
    headers: { Location: `${ctx.baseUrl}/api/now/attachment/${row.sys_id}` },
  });
}

/** GET /attachment?sysparm_query=table_sys_id=…&sysparm_limit=&sysparm_offset= */
export async function listAttachments(ctx: RestContext): Promise<Response> {
  const p = parseTableParams(ctx.url.searchParams);
  const filter = attachmentFilter(p.query);
  const { rows, total } = await ctx.inst.attachments.list(filter, { limit: p.limit, offset: p.offset });
  return resultResponse(
    rows.map((row) => attachmentJson(row, ctx.baseUrl)),
    { headers: pagingHeaders(ctx.url, ctx.baseUrl, { total, limit: p.limit, offset: p.offset }) },
  );
}

/** GET /attachment/{sys_id}: the metadata. */
export async function getAttachment(ctx: RestContext, params: Params): Promise<Response> {
  const row = await ctx.inst.attachments.require(params.sys_id ?? "");
  return resultResponse(attachmentJson(row, ctx.baseUrl));
}

/** GET /attachment/{sys_id}/file: the bytes, always as a download. */
export async function downloadAttachment(ctx: RestContext, params: Params): Promise<Response> {
  const row = await ctx.inst.attachments.require(params.sys_id ?? "");
  // HEAD (answered by this GET handler) sends no body: open no file it would never read.
  const body =
    ctx.request.method === "HEAD"
      ? null
      : (Readable.toWeb(await ctx.inst.attachments.readContent(row)) as ReadableStream<Uint8Array>);
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": row.content_type,
      // Next.js drops Content-Length from route handler responses (it streams them chunked), so
      // the size travels in ServiceNow's X-Attachment-Metadata header as well.
      "Content-Length": String(row.size_bytes),
      "X-Attachment-Metadata": asciiJson(attachmentJson(row, ctx.baseUrl)),
      "Content-Disposition": contentDisposition(row.file_name),
      // The type came from whoever uploaded the file: never sniff it, never run it as a page.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      // no-transform: the bytes go out exactly as stored (no on-the-fly compression).
      "Cache-Control": "private, no-store, no-transform",
    },
  });
}

/** JSON with every non-ASCII character escaped: header values must be plain bytes. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** DELETE /attachment/{sys_id}: 204. */
export async function deleteAttachment(ctx: RestContext, params: Params): Promise<Response> {
  const row = await ctx.inst.attachments.require(params.sys_id ?? "");
  requireWrite(ctx.user, row.table_name);
  await ctx.inst.attachments.remove(row.sys_id, ctx.actor);
  return noContent();
}
