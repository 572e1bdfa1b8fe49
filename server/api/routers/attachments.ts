import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { canWriteTable, readRecordRoles } from "../access";
import { roleProcedure, router } from "../trpc";
import { recordRef } from "./records.types";

// Listing and deleting attachments. Upload and download stream bytes, so the browser uses the
// Attachment API (/api/now/attachment/…) for them with the same session cookie.

const attachmentSchema = z.object({
  sysId: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  hash: z.string(),
  createdOn: z.string(),
  createdBy: z.string(),
});

const readProcedure = roleProcedure(...readRecordRoles);

export const attachmentsRouter = router({
  list: readProcedure
    .input(recordRef)
    .output(z.array(attachmentSchema))
    .query(async ({ ctx, input }) => {
      await ctx.inst.records.require(input.table, input.sysId);
      return (await ctx.inst.attachments.ofRecord(input.table, input.sysId)).map((a) => ({
        sysId: a.sys_id,
        fileName: a.file_name,
        contentType: a.content_type,
        sizeBytes: a.size_bytes,
        hash: a.hash,
        createdOn: a.sys_created_on,
        createdBy: a.sys_created_by,
      }));
    }),

  delete: readProcedure
    .input(z.object({ sysId: z.string().regex(/^[0-9a-f]{32}$/) }))
    .output(z.object({ sysId: z.string(), fileName: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.inst.attachments.require(input.sysId);
      if (!canWriteTable(ctx.user, row.table_name)) {
        throw new TRPCError({ code: "FORBIDDEN", message: `You may not change ${row.table_name} records` });
      }
      const removed = await ctx.inst.attachments.remove(input.sysId, ctx.actor);
      return { sysId: removed.sys_id, fileName: removed.file_name };
    }),
});
