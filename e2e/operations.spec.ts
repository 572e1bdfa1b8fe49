import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";
import { basic, type RunningInstance, startInstance } from "../tests/support/instances";
import { test } from "./csp-guard";
import { screenshot } from "./fixtures";
import { MonitorPage, SyncConfigPage, signedInPage } from "./pages/operations-pages";
import { RecordFormPage } from "./pages/record-form-page";

// Operating sync end to end: two empty instances (admin only) are paired with an invitation and
// configured entirely in the UI, then an outage, reprocess/skip and a failed inbound flow are
// worked from the monitors. The instances start once for the file; tests run in order.

test.describe.configure({ mode: "serial", timeout: 90_000 });

const empty = { TANDEM_SEED: "empty" };
let alpha: RunningInstance;
let beta: RunningInstance;
let a: BrowserContext;
let b: BrowserContext;
let pa: Page;
let pb: Page;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  [alpha, beta] = await Promise.all([
    startInstance({ name: "alpha", env: empty }),
    startInstance({ name: "beta", env: empty }),
  ]);
  a = await browser.newContext({ baseURL: alpha.url });
  b = await browser.newContext({ baseURL: beta.url });
  [pa, pb] = await Promise.all([signedInPage(a, "/sync"), signedInPage(b, "/sync")]);
});

test.afterAll(async () => {
  await a?.close();
  await b?.close();
  await Promise.all([alpha?.stop(), beta?.stop()]);
});

async function api(inst: RunningInstance, method: string, path: string, body?: unknown) {
  const res = await fetch(`${inst.url}${path}`, {
    method,
    headers: { authorization: basic("admin", "admin"), "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as {
      result: Record<string, string> & Array<Record<string, string>>;
    },
  };
}

async function incidentOn(
  inst: RunningInstance,
  shortDescription: string,
): Promise<Record<string, string> | undefined> {
  const res = await api(
    inst,
    "GET",
    `/api/now/table/incident?sysparm_query=short_description=${encodeURIComponent(shortDescription)}`,
  );
  return res.body.result[0];
}

test("pairs two empty instances with a one-time invitation; bad and used tokens are refused", async () => {
  const syncA = new SyncConfigPage(pa);
  const syncB = new SyncConfigPage(pb);
  await syncA.goto();
  await screenshot(pa, "ops-sync-empty");
  const token = await syncA.createInvitation();

  await syncB.goto();
  await syncB.acceptInvitation("tandem-pair:not-a-token");
  await expect(pb.getByTestId("pairing-error")).toContainText("Not a pairing invitation");

  await syncB.acceptInvitation(token);
  await expect(pb.getByTestId("pairing-local")).toHaveAttribute("data-ok", "true", { timeout: 20_000 });
  await expect(pb.getByTestId("pairing-peer")).toHaveAttribute("data-ok", "true");
  await expect(pb.getByTestId("remote-row-alpha")).toBeVisible();
  await screenshot(pb, "ops-pairing-done");

  // One-time: the same invitation again is refused by alpha, and beta keeps nothing half-done.
  await syncB.acceptInvitation(token);
  await expect(pb.getByTestId("pairing-error")).toContainText("already used");
  await expect(pb.getByTestId("remotes").locator("tbody tr")).toHaveCount(1);

  await pa.reload();
  await expect(pa.getByTestId("remote-row-beta")).toBeVisible();
  await expect(pa.getByTestId("remote-row-beta").locator("[data-status=active]")).toHaveCount(2);
});

/** Definition, event, capture (condition builder + field picker), outbound and inbound flow records. */
async function buildScenario(
  page: Page,
  capture: {
    name: string;
    condition: { field: string; operator: string; value: string };
    fields: string[];
    ops: string[];
  },
) {
  const sync = new SyncConfigPage(page);
  await sync.goto();
  await sync.createDefinition("Hardware requests", "Hardware incidents one way, resolutions back");
  await sync.addEvent("Hardware Request");
  await page.getByTestId("captures-new").click();
  const form = sync.captureForm();
  await form.getByLabel("Name", { exact: true }).fill(capture.name);
  await form.getByLabel("Source table").selectOption("incident");
  await form.getByTestId("add-group").click();
  await form.getByLabel("Group 1 condition 1 field").selectOption({ label: capture.condition.field });
  await form.getByLabel("Group 1 condition 1 operator").selectOption({ label: capture.condition.operator });
  await form.getByLabel("Group 1 condition 1 value").selectOption({ label: capture.condition.value });
  for (const op of ["create", "update", "delete"])
    await form.getByLabel(op, { exact: true }).setChecked(capture.ops.includes(op));
  for (const f of capture.fields)
    await form.getByTestId("field-picker").getByLabel(f, { exact: true }).check();
  await form.getByLabel("Additional comments", { exact: true }).check();
  await form.getByTestId("capture-form-save").click();
  await expect(page.getByTestId("captures").locator("tbody tr")).toHaveCount(1);
  await sync.addBinding("outbound");
  await sync.addBinding("inbound");
}

test("builds the hardware-request scenario in the UI; an incident travels to beta and its resolution back", async () => {
  await buildScenario(pa, {
    name: "Hardware incidents",
    condition: { field: "Category", operator: "is", value: "Hardware" },
    fields: ["Number", "Short description", "Description", "State", "Impact", "Urgency", "Category"],
    ops: ["create", "update"],
  });
  await expect(pa.getByTestId("captures")).toContainText("category is hardware");
  await screenshot(pa, "ops-definition");
  await buildScenario(pb, {
    name: "Resolved hardware incidents",
    condition: { field: "State", operator: "changes to", value: "Resolved" },
    fields: ["State", "Resolution code", "Resolution notes"],
    ops: ["update"],
  });

  const form = new RecordFormPage(pa);
  await form.gotoNew("incident");
  await form.field("Short description").fill("Laptop screen flickers");
  await form.field("Category").selectOption("hardware");
  await form.save();
  await expect(pa).toHaveURL(/\/records\/incident\/[0-9a-f]{32}/);

  await expect
    .poll(async () => (await incidentOn(beta, "Laptop screen flickers"))?.sys_id, { timeout: 15_000 })
    .toBeTruthy()
    .catch(async (error) => {
      for (const [inst, q] of [
        [alpha, "outbound"],
        [beta, "inbound"],
      ] as const) {
        const res = await fetch(
          `${inst.url}/api/trpc/queues.list?input=${encodeURIComponent(JSON.stringify({ queue: q }))}`,
          { headers: { authorization: basic("admin", "admin") } },
        );
        console.log(inst.name, q, await res.text());
      }
      throw error;
    });
  const onBeta = await incidentOn(beta, "Laptop screen flickers");
  await pb.goto(`/records/incident/${onBeta?.sys_id}`);
  const formB = new RecordFormPage(pb);
  await expect(formB.field("Short description")).toHaveValue("Laptop screen flickers");
  await formB.field("State").selectOption("6");
  await formB.save();

  await expect
    .poll(async () => (await incidentOn(alpha, "Laptop screen flickers"))?.state, { timeout: 15_000 })
    .toBe("6");
  await pa.reload();
  const panel = pa.getByTestId("sync-panel");
  await expect(panel.getByTestId("sync-correlations")).toContainText("beta");
  await expect(panel.getByTestId("sync-row-outbound").first()).toBeVisible();
  await expect(panel.getByTestId("sync-row-inbound").first()).toBeVisible();
  await screenshot(pa, "ops-record-sync-panel");
});

test("with beta down, the outbound monitor shows rows and retries live; the dashboard shows the error; Validate and Activate drains it", async () => {
  // A short retry policy, set on alpha's remote system in the UI, keeps the outage brief.
  await pa.goto("/sync");
  await pa.getByRole("link", { name: "beta", exact: true }).click();
  await pa.getByLabel("Retry times").fill("2");
  await pa.getByLabel("Retry interval (ms)").fill("400");
  await pa.getByLabel("Backoff").selectOption("fixed");
  await pa.getByTestId("remote-form-save").click();
  await expect(pa.getByTestId("toast-success").last()).toBeVisible();
  const remoteUrl = pa.url();

  await beta.stop();
  const monitor = new MonitorPage(pa);
  await monitor.goto("outbound");
  const before = await monitor.rows().count();
  for (const n of [1, 2, 3])
    await api(alpha, "POST", "/api/now/table/incident", {
      short_description: `Outage ${n}`,
      category: "hardware",
    });
  await expect(monitor.rows()).toHaveCount(before + 3);
  // The first new row retries (attempts rise) and then fails; the others wait behind the remote.
  await expect(monitor.rows("error")).toHaveCount(1, { timeout: 15_000 });
  const [failed] = await monitor.ids("error");
  await expect(pa.getByTestId(`attempts-${failed}`)).toHaveText("3");
  await expect(monitor.rows("ready").first()).toContainText("Remote system beta is in error");
  await screenshot(pa, "ops-monitor-outage");

  await pa.goto("/dashboard");
  await expect(pa.getByTestId("dashboard-remote-beta")).toHaveAttribute("data-error", "true");
  await expect(pa.getByTestId("stat-outbound-errors")).toHaveText("1");
  await screenshot(pa, "ops-dashboard-error");

  beta = await startInstance({ name: "beta", port: beta.port, dataDir: beta.dataDir, env: empty });
  await pa.goto(remoteUrl);
  await pa.getByTestId("validate-activate").click();
  await expect(pa.getByTestId("validate-result")).toHaveAttribute("data-ok", "true");
  await monitor.goto("outbound");
  await expect(monitor.rows("error")).toHaveCount(0, { timeout: 15_000 });
  await expect(monitor.rows("ready")).toHaveCount(0, { timeout: 15_000 });
  await expect(monitor.rows("processed")).toHaveCount(before + 3);
});

test("failed inbound rows link to their execution; reprocess and skip, one and many, are logged with who", async () => {
  // Three incidents reach beta, are deleted on alpha, then resolved on beta: alpha's inbound
  // flow cannot update a record that is gone, so three inbound rows fail.
  const names = ["Dock 1", "Dock 2", "Dock 3"];
  for (const n of names)
    await api(alpha, "POST", "/api/now/table/incident", { short_description: n, category: "hardware" });
  for (const n of names)
    await expect.poll(async () => (await incidentOn(beta, n))?.sys_id, { timeout: 15_000 }).toBeTruthy();
  for (const n of names) {
    const local = await incidentOn(alpha, n);
    await api(alpha, "DELETE", `/api/now/table/incident/${local?.sys_id}`);
  }
  const monitor = new MonitorPage(pa);
  await monitor.goto("inbound", "error");
  for (const n of names) {
    const remote = await incidentOn(beta, n);
    await api(beta, "PATCH", `/api/now/table/incident/${remote?.sys_id}`, { state: "6" });
  }
  await expect(monitor.rows("error")).toHaveCount(3, { timeout: 15_000 });
  const [first, second, third] = await monitor.ids("error");

  let drawer = await monitor.open(first as number);
  await expect(drawer.getByTestId("drawer-error")).toBeVisible();
  await screenshot(pa, "ops-monitor-drawer");
  await drawer.getByTestId("drawer-execution").click();
  await expect(pa.getByTestId("execution-status")).toHaveText("error");
  await expect(pa.getByTestId("step-error")).toBeVisible();
  await expect(pa.getByTestId("step-inputs")).not.toHaveText("—");
  await screenshot(pa, "ops-execution");

  await monitor.goto("inbound", "error");
  drawer = await monitor.open(first as number);
  await drawer.getByTestId("drawer-reprocess").click();
  await monitor.confirm();
  await expect(drawer.getByTestId("drawer-actions")).toContainText("admin reprocessed the row");

  await pa.keyboard.press("Escape");
  await expect(pa.getByTestId("row-drawer")).toHaveCount(0);
  await pa.getByLabel(`Select row ${second}`).check();
  await pa.getByLabel(`Select row ${third}`).check();
  await pa.getByTestId("bulk-skip").click();
  await monitor.confirm();
  await pa.getByTestId("filter-status-error").click(); // off: show all statuses
  await expect(pa.getByTestId(`row-${second}`)).toHaveAttribute("data-status", "skipped");
  await expect(pa.getByTestId(`row-${third}`)).toHaveAttribute("data-status", "skipped");
  drawer = await monitor.open(second as number);
  await expect(drawer.getByTestId("drawer-actions")).toContainText("admin skipped the row");
  await screenshot(pa, "ops-monitor-inbound");
});

test("renames a process event from the definition page, with the link warning", async () => {
  await pa.goto("/sync");
  await pa.getByRole("link", { name: "Hardware requests" }).click();
  const events = pa.getByTestId("events");
  await events.getByRole("button", { name: "Edit process event Hardware Request" }).click();
  const form = pa.getByTestId("event-edit-form");
  await expect(form.getByLabel("Name", { exact: true })).toBeFocused();
  await pa.keyboard.press("Escape");
  await expect(form).toHaveCount(0);

  await events.getByRole("button", { name: "Edit process event Hardware Request" }).click();
  await form.getByLabel("Name", { exact: true }).fill("Hardware Request v2");
  await expect(form.getByTestId("event-rename-warning")).toContainText(
    "Renaming breaks the link until the other instance uses the same name",
  );
  await pa.keyboard.press("Enter");
  await expect(form).toHaveCount(0);
  await expect(events.getByRole("cell", { name: "Hardware Request v2", exact: true })).toBeVisible();
});
