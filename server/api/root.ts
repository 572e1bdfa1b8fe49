import { alertsRouter } from "./routers/alerts";
import { attachmentsRouter } from "./routers/attachments";
import { configAsCodeRouter } from "./routers/config-as-code";
import { correlationsRouter } from "./routers/correlations";
import { dashboardRouter } from "./routers/dashboard";
import { flowStatsRouter } from "./routers/flow-stats";
import { flowsRouter } from "./routers/flows";
import { initialSyncRouter } from "./routers/initial-sync";
import { queuesRouter } from "./routers/queues";
import { recordsRouter } from "./routers/records";
import { syncConfigRouter } from "./routers/sync-config";
import { tryDraftRouter } from "./routers/try-draft";
import { createCallerFactory, router } from "./trpc";

/** Every tRPC procedure of the UI, one router per domain; later issues add theirs here. */
export const appRouter = router({
  records: recordsRouter,
  attachments: attachmentsRouter,
  syncConfig: syncConfigRouter,
  queues: queuesRouter,
  dashboard: dashboardRouter,
  correlations: correlationsRouter,
  flows: flowsRouter,
  configAsCode: configAsCodeRouter,
  flowStats: flowStatsRouter,
  alerts: alertsRouter,
  tryDraft: tryDraftRouter,
  initialSync: initialSyncRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, server components). */
export const createCaller = createCallerFactory(appRouter);
