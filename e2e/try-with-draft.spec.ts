import { expect, test } from "@playwright/test";
import { breakInboundUpdate } from "../tests/support/broken-inbound";
import { api, hardwareGroup, type Pair, query, startPair, waitFor } from "../tests/support/pair";
import { screenshot } from "./fixtures";
import { MonitorPage, signedInPage } from "./pages/operations-pages";

// Try with draft (issue 15), two real instances:
//   alpha: 5 incidents ──▶ beta creates them; alpha updates them ──▶ beta's published inbound flow
//   fails at Update Record (urgency "Urgent" is not a choice) ─▶ 5 inbound rows in error
//   beta's UI: a failed row → "Try with draft" → add a value map Urgent → 1 in the draft's Map
//   Fields → the diff shows urgency 1 → "Publish and reprocess all 5" → each record once, fixed

test.describe.configure({ mode: "serial", timeout: 180_000 });

let pair: Pair;
const count = (sql: string) => query<{ n: number }>(pair.beta, sql)[0]?.n ?? 0;

test.beforeAll(async () => {
  pair = await startPair();
});

test.afterAll(async () => {
  await pair?.stop();
});

test("a failed row is fixed against a draft, published and reprocessed once", async ({ browser }) => {
  // ARRANGE: 5 synced incidents whose updates fail on beta at Update Record
  await breakInboundUpdate(pair.beta);
  const group = await hardwareGroup(pair.alpha);
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const res = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: `Draft fix ${i}`,
      assignment_group: group,
    });
    ids.push(res.body.result.sys_id as string);
  }
  await waitFor(
    () => count("SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'") === 5,
    30_000,
    "beta to create the 5 incidents",
  );
  for (const [i, id] of ids.entries())
    await api(pair.alpha, "PATCH", `/api/now/table/incident/${id}`, {
      short_description: `Draft fix ${i + 1}!`,
    });
  await waitFor(
    () => count("SELECT count(*) AS n FROM inbound_queue WHERE status = 'error'") === 5,
    30_000,
    "the 5 updates to fail on beta",
  );

  // ACT: open one failed row's "Try with draft"
  const context = await browser.newContext({ baseURL: pair.beta.inst.url });
  const page = await signedInPage(context, "/queues?queue=inbound&status=error");
  const monitor = new MonitorPage(page);
  await monitor.goto("inbound", "error");
  await expect(monitor.rows("error")).toHaveCount(5);
  const [first] = await monitor.ids("error");
  const drawer = await monitor.open(first ?? 0);
  await expect(drawer.getByTestId("drawer-error")).toContainText('Invalid choice value "Urgent"');
  await drawer.getByTestId("drawer-try-draft").click();

  // ASSERT: the draft (still as published) fails at Update Record, like the real run
  const panel = page.getByTestId("try-draft-panel");
  await expect(panel.getByTestId("try-draft-status")).toHaveAttribute("data-status", "error", {
    timeout: 20_000,
  });
  await expect(panel.getByTestId("try-draft-status")).toContainText("Update Record");
  await expect(panel.getByTestId("try-draft-published")).toContainText("at Update Record");
  await expect(panel.getByTestId("try-publish-all")).toContainText("all 5");

  // ACT: add a value map in the draft's Map Fields (update path): Urgent → 1
  await panel.getByTestId("try-step-map_update").click();
  await page.getByTestId("row-0-add-map").click();
  await page.getByTestId("row-0-map-0-from").fill("Urgent");
  await page.getByTestId("row-0-map-0-to").fill("1");
  await page.getByTestId("tab-try").click();
  await page.getByTestId("try-draft-run").click();

  // ASSERT: the draft completes; the diff shows the field's new value beside the failed one
  await expect(panel.getByTestId("try-draft-status")).toHaveAttribute("data-status", "completed", {
    timeout: 20_000,
  });
  await expect(panel.getByTestId("try-diff-record-update-urgency-draft")).toHaveText("1");
  await expect(panel.getByTestId("try-diff-record-update-urgency")).toContainText("Urgent");
  await screenshot(page, "try-with-draft");

  // ACT: publish and reprocess all 5
  await panel.getByTestId("try-publish-all").click();
  await expect(panel.getByTestId("try-publish-done")).toContainText("reprocessing 5 row(s)");

  // ASSERT: processed once each; beta holds each record once, with the field fixed
  await waitFor(
    () => count("SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'") === 10,
    30_000,
    "the 5 reprocessed rows",
  );
  expect(count("SELECT count(*) AS n FROM inbound_queue WHERE status = 'error'")).toBe(0);
  const records = query<{ d: string; urgency: string }>(
    pair.beta,
    "SELECT json_extract(data, '$.short_description') AS d, json_extract(data, '$.urgency') AS urgency FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Draft fix %' ORDER BY 1",
  );
  expect(records).toEqual([1, 2, 3, 4, 5].map((i) => ({ d: `Draft fix ${i}!`, urgency: "1" })));
  await context.close();
});
