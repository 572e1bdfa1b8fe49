import { readJsonObject } from "../http/body";
import { type JsonReply, noContent, resultReply } from "../http/responses";
import type { RecordValues } from "../records/types";
import type { TableDefinition } from "../tables/types";
import { requireWrite } from "./access";
import type { RestContext } from "./context";
import { pagingHeaders } from "./paging";
import { parseTableParams, type TableParams } from "./query-params";
import { renderRecords } from "./record-view";
import { saveRecord } from "./user-password";

// The Table API (SPEC 1.4): thin handlers that read parameters, call the record service (the
// one write path) and shape the answer. Every write check happens in the record service.

type Params = Record<string, string>;

/** GET /table/{table} */
export async function listRecords(ctx: RestContext, params: Params): Promise<JsonReply> {
  const def = table(ctx, params);
  const p = parseTableParams(ctx.url.searchParams);
  const { rows, total } = await ctx.inst.records.list(def.name, {
    query: p.query,
    limit: p.limit,
    offset: p.offset,
  });
  return resultReply(await render(ctx, def, rows, p), {
    headers: pagingHeaders(ctx.url, ctx.baseUrl, { total, limit: p.limit, offset: p.offset }),
  });
}

/** GET /table/{table}/{sys_id} */
export async function getRecord(ctx: RestContext, params: Params): Promise<JsonReply> {
  const def = table(ctx, params);
  const p = parseTableParams(ctx.url.searchParams);
  const row = await ctx.inst.records.require(def.name, params.sys_id ?? "");
  return resultReply((await render(ctx, def, [row], p))[0]);
}

/** POST /table/{table}: 201 with the new record and its Location. */
export async function createRecord(ctx: RestContext, params: Params): Promise<JsonReply> {
  const def = table(ctx, params);
  const p = parseTableParams(ctx.url.searchParams); // before writing: a bad parameter changes nothing
  requireWrite(ctx.user, def.name);
  const body = await readJsonObject(ctx.request, ctx.inst.config.maxBodyBytes);
  // The Table API lets a client choose the sys_id of a new record (imports, sync peers).
  const sysId = typeof body.sys_id === "string" && body.sys_id !== "" ? body.sys_id : undefined;
  const created = await saveRecord(ctx, def.name, null, body, { sysId });
  return resultReply((await render(ctx, def, [created], p))[0], {
    status: 201,
    headers: { Location: `${ctx.baseUrl}/api/now/table/${def.name}/${created.sys_id}` },
  });
}

/** PUT and PATCH /table/{table}/{sys_id}: both change only the fields given, as in ServiceNow. */
export async function updateRecord(ctx: RestContext, params: Params): Promise<JsonReply> {
  const def = table(ctx, params);
  const p = parseTableParams(ctx.url.searchParams);
  requireWrite(ctx.user, def.name);
  const sysId = params.sys_id ?? "";
  await ctx.inst.records.require(def.name, sysId); // 404 before reading the body
  const body = await readJsonObject(ctx.request, ctx.inst.config.maxBodyBytes);
  const updated = await saveRecord(ctx, def.name, sysId, body);
  return resultReply((await render(ctx, def, [updated], p))[0]);
}

/** DELETE /table/{table}/{sys_id}: 204. */
export async function deleteRecord(ctx: RestContext, params: Params): Promise<Response> {
  const def = table(ctx, params);
  requireWrite(ctx.user, def.name);
  await ctx.inst.records.delete(def.name, params.sys_id ?? "", ctx.actor);
  return noContent();
}

function table(ctx: RestContext, params: Params): TableDefinition {
  return ctx.inst.registry.require(params.table ?? "");
}

function render(ctx: RestContext, def: TableDefinition, rows: RecordValues[], p: TableParams) {
  return renderRecords(ctx.inst.records, def, rows, {
    displayValue: p.displayValue,
    excludeReferenceLink: p.excludeReferenceLink,
    fields: p.fields,
    baseUrl: ctx.baseUrl,
  });
}
