import type { OutboundGuard } from "../net/url-guard";
import { badRequest } from "../util/errors";

/**
 * Save-time check of a remote system's connection URL (issue 12): the same guard that refuses
 * the connection later, run now so the administrator reads why at once, next to the field.
 */
export async function checkConnectionUrl(guard: OutboundGuard, input: unknown): Promise<void> {
  const baseUrl =
    input !== null && typeof input === "object" ? (input as { baseUrl?: unknown }).baseUrl : undefined;
  if (typeof baseUrl !== "string") return; // absent (partial update) or invalid: the schema says so
  const check = await guard.checkUrl(baseUrl);
  if (!check.ok) throw badRequest(check.message, `Connection ${baseUrl}`, "baseUrl");
}
