import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { canWriteTable, readRecordRoles } from "../access";
import { auditOf } from "../history";
import {
  displayAuditValues,
  journalField,
  listRecords,
  recordView,
  searchReferences,
  tableViews,
} from "../record-views";
import { type Context, roleProcedure, router } from "../trpc";
import {
  addJournalInput,
  createInput,
  getOutput,
  historyOutput,
  listInput,
  listOutput,
  recordRef,
  referenceSearchInput,
  referenceSearchOutput,
  tableViewSchema,
  updateInput,
  writeOutput,
} from "./records.types";

const readProcedure = roleProcedure(...readRecordRoles);

function assertCanWrite(ctx: { user: NonNullable<Context["user"]> }, table: string): void {
  if (!canWriteTable(ctx.user, table)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `You may not change ${table} records` });
  }
}

export const recordsRouter = router({
  tables: readProcedure
    .output(z.array(tableViewSchema))
    .query(({ ctx }) => tableViews(ctx.inst.records, ctx.user)),

  list: readProcedure
    .input(listInput)
    .output(listOutput)
    .query(({ ctx, input }) => listRecords(ctx.inst.records, input)),

  get: readProcedure
    .input(recordRef)
    .output(getOutput)
    .query(({ ctx, input }) => recordView(ctx.inst.records, ctx.user, input.table, input.sysId)),

  create: readProcedure
    .input(createInput)
    .output(writeOutput)
    .mutation(async ({ ctx, input }) => {
      assertCanWrite(ctx, input.table);
      const def = ctx.inst.registry.require(input.table);
      const created = await ctx.inst.records.create(input.table, input.values, ctx.actor);
      return { sysId: created.sys_id, display: created[def.displayField] ?? "" };
    }),

  update: readProcedure
    .input(updateInput)
    .output(writeOutput)
    .mutation(async ({ ctx, input }) => {
      assertCanWrite(ctx, input.table);
      const def = ctx.inst.registry.require(input.table);
      const updated = await ctx.inst.records.update(input.table, input.sysId, input.values, ctx.actor);
      return { sysId: updated.sys_id, display: updated[def.displayField] ?? "" };
    }),

  delete: readProcedure
    .input(recordRef)
    .output(writeOutput)
    .mutation(async ({ ctx, input }) => {
      assertCanWrite(ctx, input.table);
      const def = ctx.inst.registry.require(input.table);
      const deleted = await ctx.inst.records.delete(input.table, input.sysId, ctx.actor);
      return { sysId: deleted.sys_id, display: deleted[def.displayField] ?? "" };
    }),

  addJournal: readProcedure
    .input(addJournalInput)
    .output(writeOutput)
    .mutation(async ({ ctx, input }) => {
      assertCanWrite(ctx, input.table);
      const def = ctx.inst.registry.require(input.table);
      journalField(def, input.element);
      const updated = await ctx.inst.records.update(
        input.table,
        input.sysId,
        { [input.element]: input.value },
        ctx.actor,
      );
      return { sysId: updated.sys_id, display: updated[def.displayField] ?? "" };
    }),

  referenceSearch: readProcedure
    .input(referenceSearchInput)
    .output(referenceSearchOutput)
    .query(({ ctx, input }) => searchReferences(ctx.inst.records, input)),

  history: readProcedure
    .input(recordRef)
    .output(historyOutput)
    .query(async ({ ctx, input }) => {
      const def = ctx.inst.registry.require(input.table);
      return displayAuditValues(
        ctx.inst.records,
        def,
        await auditOf(ctx.inst.storage, input.table, input.sysId),
      );
    }),
});
