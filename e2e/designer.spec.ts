import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import { unpackSteps } from "../server/flow-store/execution-journal";
import { api, hardwareGroup, type Pair, query, startPair, trpc, waitFor } from "../tests/support/pair";
import { test as base } from "./csp-guard";
import { screenshot } from "./fixtures";
import { FlowEditorPage } from "./pages/flow-editor-page";
import { LoginPage } from "./pages/login-page";

// The designer on a real pair (alpha ⇄ beta, demo seed): beta's inbound flow is cloned, edited,
// test-run and published in Chromium, then real traffic from alpha runs it.

let pair: Pair;
const test = base.extend<{ editor: FlowEditorPage }, { pairWorker: Pair }>({
  pairWorker: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      pair = await startPair();
      await use(pair);
      await pair.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
  editor: async ({ page }, use) => use(new FlowEditorPage(page)),
  // The browser talks to beta.
  baseURL: async ({ pairWorker }, use) => use(pairWorker.beta.inst.url),
});
test.describe.configure({ mode: "serial" });
// Palette, canvas and side panel side by side, as on a designer's screen.
test.use({ viewport: { width: 1600, height: 900 } });

async function signIn(page: Page) {
  const login = new LoginPage(page);
  await page.goto("/login");
  await login.signInAndWait("admin", "admin");
}

/** tRPC query over the page's session (what the UI itself would read). */
async function trpcQuery<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

const incidentCount = () =>
  query<{ n: number }>(pair.beta, "SELECT count(*) AS n FROM record WHERE table_name = 'incident'")[0]?.n;

test("edit with the canvas: cycles refused, diagnostics block publishing, undo, paste, layout, diff, export/import", async ({
  page,
  editor,
}) => {
  test.setTimeout(90_000);
  page.context().setDefaultNavigationTimeout(20_000);
  await signIn(page);
  const flowId = await editor.cloneTemplate("Inbound Flow Template – Basic", "Designer checks");

  // Readable on open (issue 15): the 20-node template opens with labels of at least 12 px on
  // screen, its trigger in view; a far node is off screen rather than shrunk.
  await expect(editor.node("end_created")).toBeAttached();
  await expect.poll(async () => (await editor.labelOnScreen("start")).inView).toBe(true);
  const onOpen = await editor.labelOnScreen("start");
  console.log(`inbound template on open: zoom ${onOpen.zoom.toFixed(2)}, label ${onOpen.px.toFixed(1)} px`);
  expect(onOpen.px).toBeGreaterThanOrEqual(12);
  expect((await editor.labelOnScreen("transform")).px).toBeGreaterThanOrEqual(12);
  // The steps below reach nodes all over the flow: see it whole.
  await editor.fitView();

  // A test run with the template's sample payload: every node shows outputs, nothing is written.
  const before = incidentCount();
  await editor.tab("test");
  await page.getByTestId("test-run-start").click();
  await expect(page.getByTestId("test-run-result")).toHaveAttribute("data-status", "completed");
  for (const id of [
    "start",
    "transform",
    "lookup",
    "found",
    "map_create",
    "create",
    "correlate",
    "end_created",
  ]) {
    await expect(page.getByTestId(`step-${id}`)).toHaveAttribute("data-status", "completed");
    await expect(page.getByTestId(`test-step-${id}`)).toBeVisible();
  }
  await page
    .getByTestId("test-step-create")
    .locator("summary")
    .click({ position: { x: 4, y: 8 } });
  await expect(page.getByTestId("test-step-create")).toContainText('"sys_id"');
  expect(incidentCount()).toBe(before);
  await screenshot(page, "designer-test-run");
  await page.getByTestId("test-run-clear").click();

  // A Log added from the palette: its empty required message shows on the node and in Problems.
  await editor.dropFromPalette("log", { x: 300, y: 600 });
  await expect(editor.node("log_1")).toBeVisible();
  await expect(page.getByTestId("node-diagnostics-log_1")).toBeVisible();
  await editor.tab("problems");
  await expect(page.locator('[data-code="REQUIRED_INPUT_EMPTY"][data-node="log_1"]')).toBeVisible();

  // Wired to Update Record's error port, the pill picker offers Update's outputs.
  const edges = await editor.edgeCount();
  await editor.connectAndWait("update", "error", "log_1");
  await expect.poll(() => editor.edgeCount()).toBe(edges + 1);
  await editor.select("log_1");
  await editor.pickPill("message", "steps.update.sys_id");

  // Log → Found? would close a loop: refused while dragging, and not added on release.
  await editor.startConnection("log_1", "next", "found");
  await expect(page.getByTestId("connection-refused")).toContainText("loop");
  await page.mouse.up();
  expect(await editor.edgeCount()).toBe(edges + 1);

  // Cut the Log and paste it back unconnected, then lead it into Update: its pill now reads downstream.
  await editor.node("log_1").click();
  await page.keyboard.press("Control+x");
  await expect(editor.node("log_1")).toHaveCount(0);
  await page.keyboard.press("Control+v");
  await expect(editor.node("log_1")).toBeVisible();
  await editor.connectAndWait("log_1", "next", "update");
  await editor.tab("problems");
  await expect(page.locator('[data-code="PILL_NOT_UPSTREAM"][data-node="log_1"]')).toBeVisible();
  await editor.saved();
  await editor.publishButton.click();
  await expect(page.getByTestId("publish-refused")).toContainText(/Not published: The flow has \d+ errors?/);
  await screenshot(page, "designer-publish-refused");

  // Undo the last connection, redo it, then delete the Log: the draft is clean and publishes.
  const withLog = await editor.edgeCount();
  await page.locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("Control+z");
  await expect.poll(() => editor.edgeCount()).toBe(withLog - 1);
  await page.keyboard.press("Control+Shift+z");
  await expect.poll(() => editor.edgeCount()).toBe(withLog);
  await editor.node("log_1").click();
  await page.keyboard.press("Delete");
  await expect(editor.node("log_1")).toHaveCount(0);
  await editor.tab("problems");
  await expect(page.getByTestId("diagnostics-empty")).toBeVisible();
  await editor.publishButton.click();
  await expect(page.getByTestId("editor-version")).toHaveText("v1 published");

  // Auto-layout, then a change; the diff from v1 to the draft marks the added node.
  const x0 = (await editor.node("update").boundingBox())?.x;
  await page.getByTestId("auto-layout").click();
  await expect.poll(async () => (await editor.node("update").boundingBox())?.x).not.toBe(x0);
  await page.getByTestId("palette-send_email").click();
  await expect(editor.node("send_email_1")).toBeVisible();
  await editor.saved();
  await editor.tab("history");
  await page.getByTestId("diff-show").click();
  await expect(page.getByTestId("diff-summary")).toContainText("1 added");
  await expect(page.getByTestId("diff-dialog").locator('[data-diff="added"]')).toHaveCount(1);
  await screenshot(page, "designer-diff");
  await page.getByRole("button", { name: "Close" }).click();

  // Export, then import: the new flow's draft equals the exported one.
  const download = page.waitForEvent("download");
  await page.getByTestId("export").click();
  const file = await (await download).path();
  await page.getByTestId("import-file").setInputFiles(file);
  await page.waitForURL((u) => u.pathname.startsWith("/flows/") && !u.pathname.endsWith(flowId));
  const importedId = new URL(page.url()).pathname.split("/").at(-1) as string;
  const exported = JSON.parse(fs.readFileSync(file, "utf8"));
  const imported = (
    await trpcQuery<{ draft: Record<string, unknown> }>(page, "flows.get", { id: importedId })
  ).draft;
  const strip = ({ id: _i, name: _n, ...g }: Record<string, unknown>) => g;
  expect(strip(imported)).toEqual(strip(exported));
});

test("a Log on Update Record's error port records the failure of a real inbound update", async ({
  page,
  editor,
}) => {
  test.setTimeout(90_000);
  await signIn(page);
  const flowId = await editor.cloneTemplate("Inbound Flow Template – Basic", "Inbound with failure log");
  await editor.fitView();

  // Point Update Record at a record beta does not have, so every update fails there.
  await editor.select("update");
  await page.getByTestId("mode-sysId-literal").click();
  await page.getByTestId("input-sysId").fill("0".repeat(32));
  await page.getByTestId("input-sysId").press("Enter");

  await editor.dropFromPalette("log", { x: 400, y: 80 });
  await editor.connectAndWait("update", "error", "log_1");
  await editor.select("log_1");
  await page.getByTestId("select-level").selectOption("error");
  await editor.pickPill("message", "steps.transform.changed_fields.short_description.value");
  await editor.saved();
  await editor.publishButton.click();
  await expect(page.getByTestId("editor-version")).toHaveText("v1 published");
  await screenshot(page, "designer-inbound-log");

  // Bind beta's inbound flow for alpha's hardware requests to this flow.
  const overview = await trpcQuery<{ bindings: Array<{ id: string; direction: string }> }>(
    page,
    "syncConfig.overview",
    undefined,
  );
  const binding = overview.bindings.find((b) => b.direction === "inbound");
  if (!binding) throw new Error("beta has no inbound binding");
  await trpc(pair.beta, "syncConfig.updateBinding", { id: binding.id, data: { flowId } });
  expect(
    query<{ flow_id: string }>(pair.beta, "SELECT flow_id FROM flow_binding WHERE id = ?", binding.id)[0]
      ?.flow_id,
  ).toBe(flowId);

  // Alpha creates (beta creates it too), then alpha changes it: beta's update fails and logs.
  const group = await hardwareGroup(pair.alpha);
  const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
    short_description: "Label printer jams",
    assignment_group: group,
  });
  const alphaId = created.body.result.sys_id as string;
  await waitFor(
    () =>
      query(
        pair.beta,
        "SELECT 1 FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') = 'Label printer jams'",
      ).length > 0,
    15_000,
    "the incident on beta",
  );
  await api(pair.alpha, "PATCH", `/api/now/table/incident/${alphaId}`, {
    short_description: "Label printer on fire",
  });
  let executionId = "";
  await waitFor(
    () => {
      const rows = query<{ id: string }>(
        pair.beta,
        "SELECT e.id FROM flow_execution e JOIN flow_log l ON l.execution_id = e.id WHERE e.flow_id = ? AND l.message = ?",
        flowId,
        "Label printer on fire",
      );
      executionId = rows[0]?.id ?? "";
      return executionId !== "";
    },
    15_000,
    "the failure log line",
  ).catch((e) => {
    const runs = query<{ status: string; error: string; steps: string }>(
      pair.beta,
      "SELECT e.flow_id || ' ' || e.status AS status, e.error, e.steps FROM flow_execution e ORDER BY started_at",
    ).map(
      (r) =>
        `${r.status} ${r.error} ${JSON.stringify(unpackSteps(r.steps, null).map((st) => [st.nodeId, st.status, st.error]))}`,
    );
    const inbound = query(pair.beta, "SELECT sequence, status, last_error FROM inbound_queue");
    const dag =
      query<{ dag: string }>(pair.beta, "SELECT dag FROM flow_version WHERE flow_id = ?", flowId)[0]?.dag ??
      "";
    const mapUpdate = JSON.stringify(JSON.parse(dag || "{}").nodes?.map_update?.config?.rows);
    throw new Error(
      `${e}\nflow ${flowId}; rows ${mapUpdate}\n${runs.join("\n")}\n${JSON.stringify(inbound)}`,
    );
  });

  await page.goto(`/flows/executions/${executionId}`);
  await expect(page.getByTestId("log-line").filter({ hasText: "Label printer on fire" })).toBeVisible();
  await expect(page.locator('[data-testid="step-update"][data-status="error"]')).toBeVisible();
  await expect(page.locator('[data-testid="step-log_1"][data-status="completed"]')).toBeVisible();
  await screenshot(page, "designer-execution");
});
