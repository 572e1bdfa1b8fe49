import type { AttachmentFilter, AttachmentRow } from "../attachments/attachment-service";
import { attachmentFilterColumns } from "../attachments/attachment-service";
import { ApiError } from "../http/responses";
import { parseEncodedQuery } from "../records/encoded-query";

// The Attachment API's shapes: metadata as ServiceNow returns it (numbers as strings), the
// download headers, and the small query language it accepts.

export function attachmentJson(row: AttachmentRow, baseUrl: string): Record<string, string> {
  return {
    sys_id: row.sys_id,
    file_name: row.file_name,
    content_type: row.content_type,
    size_bytes: String(row.size_bytes),
    hash: row.hash,
    table_name: row.table_name,
    table_sys_id: row.table_sys_id,
    download_link: `${baseUrl}/api/now/attachment/${row.sys_id}/file`,
    sys_created_on: row.sys_created_on,
    sys_created_by: row.sys_created_by,
    sys_updated_on: row.sys_created_on,
    sys_updated_by: row.sys_created_by,
    sys_mod_count: "0",
  };
}

const mediaType = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The stored content type of an upload: the request's media type without parameters, lower
 * case, or application/octet-stream when it is missing or not a media type. It is sent back in
 * a header on download, so nothing but a plain type/subtype may pass.
 */
export function uploadContentType(header: string | null): string {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType.test(type) ? type : "application/octet-stream";
}

/**
 * Content-Disposition that downloads (never renders) the file: an ASCII fallback name for old
 * clients and the exact name as RFC 8187 `filename*`, percent-encoded so no quote, semicolon or
 * line break can end the header value early.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, "_") || "attachment";
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Reads `field=value^field=value` on the filterable columns; anything else is a clear 400. */
export function attachmentFilter(sysparmQuery: string): AttachmentFilter {
  const parsed = parseEncodedQuery(sysparmQuery);
  const filter: AttachmentFilter = {};
  const allowed = new Set<string>(attachmentFilterColumns);
  const unsupported = () =>
    new ApiError(
      400,
      "Invalid sysparm_query",
      `The Attachment API supports field=value terms joined by ^ on ${attachmentFilterColumns.join(", ")}`,
    );
  if (parsed.disjunction.length > 1 || parsed.orderBy.length > 0) throw unsupported();
  for (const group of parsed.disjunction[0] ?? []) {
    const condition = group[0];
    if (group.length !== 1 || !condition || condition.operator !== "=" || !allowed.has(condition.field)) {
      throw unsupported();
    }
    filter[condition.field as keyof AttachmentFilter] = condition.value;
  }
  return filter;
}
