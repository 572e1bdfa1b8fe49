import { test as base, expect, type Page } from "@playwright/test";
import { api, hardwareGroup, type Pair, startPair, waitFor } from "../tests/support/pair";
import { LoginPage } from "./pages/login-page";
import { AxeLedger } from "./support/axe";

// axe-core on every main page of a real pair (alpha ⇄ beta, demo seed, one incident synced so
// queues, dashboard and records hold real rows), then the keyboard behaviour of the primitives:
// dialogs trap focus and give it back on Escape, menus move with the arrows. The check fails on
// any serious or critical violation and prints the counts by impact.

let pair: Pair;
const test = base.extend<{ _: undefined }, { pairWorker: Pair }>({
  pairWorker: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      pair = await startPair();
      await use(pair);
      await pair.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
  baseURL: async ({ pairWorker }, use) => use(pairWorker.alpha.inst.url),
});
test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1440, height: 900 } });

let incidentId = "";

async function signIn(page: Page, path = "/") {
  const login = new LoginPage(page);
  await login.goto(path);
  await login.signInAndWait("admin", "admin");
}

test.beforeAll(async ({ pairWorker }) => {
  const group = await hardwareGroup(pairWorker.alpha);
  const created = await api(pairWorker.alpha, "POST", "/api/now/table/incident", {
    short_description: "Accessibility check: docking station",
    assignment_group: group,
    comments: "For the axe pages",
  });
  incidentId = created.body.result.sys_id ?? "";
  // Processed on both sides, so the monitors, the dashboard and the record's Sync panel show it.
  await waitFor(
    async () => {
      const res = await api<{ result: unknown[] }>(
        pairWorker.beta,
        "GET",
        "/api/now/table/incident?sysparm_query=short_descriptionLIKEdocking%20station",
      );
      return res.body.result.length === 1;
    },
    30_000,
    "the incident to reach beta",
  );
});

test("axe: no serious or critical violations on the main pages", async ({ page }) => {
  test.setTimeout(180_000);
  const axe = new AxeLedger();
  await page.goto("/login");
  await expect(page.getByLabel("User name")).toBeVisible();
  await axe.check(page, "login");
  await signIn(page, "/records/incident");

  await expect(page.getByTestId("record-row").first()).toBeVisible();
  await axe.check(page, "records list");

  await page.goto(`/records/incident/${incidentId}`);
  await expect(page.getByTestId("record-form")).toBeVisible();
  await expect(page.getByLabel("Short description")).toHaveValue(/docking station/);
  await axe.check(page, "record form");

  await page.getByTestId("form-delete").click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await axe.check(page, "record form, delete confirmation");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);

  await page.goto("/records/incident/new");
  await expect(page.getByTestId("record-form")).toBeVisible();
  await axe.check(page, "new record form");

  await page.goto("/flows");
  await expect(page.getByTestId("flow-row").first()).toBeVisible();
  await axe.check(page, "flow list");
  await page.getByTestId("new-from-template").click();
  await expect(page.getByTestId("template-dialog")).toBeVisible();
  await axe.check(page, "flow list, new-from-template dialog");
  await page.keyboard.press("Escape");

  await page.getByTestId("flow-row").first().getByRole("link").first().click();
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "saved");
  await axe.check(page, "designer");

  for (const queue of ["outbound", "inbound"] as const) {
    await page.goto(`/queues?queue=${queue}`);
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
    if (queue === "outbound") {
      await expect(
        page.getByTestId("monitor-table").locator("tbody:not([aria-busy]) tr").first(),
      ).toBeVisible();
      await axe.check(page, "outbound queue monitor");
      await page
        .getByRole("button", { name: /^Open row \d+$/ })
        .first()
        .click();
      await expect(page.getByTestId("drawer-status")).toBeVisible();
      await axe.check(page, "outbound queue monitor, row details");
    } else {
      await axe.check(page, "inbound queue monitor");
    }
  }

  await page.goto("/dashboard");
  await expect(page.getByTestId("stat-outbound-processed")).toContainText(/\d/);
  await expect(page.getByTestId("chart-outbound").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await axe.check(page, "dashboard");

  await page.goto("/sync");
  await expect(page.getByTestId("pairing")).toBeVisible();
  await axe.check(page, "sync configuration");
  await page.locator('a[href^="/sync/definitions/"]').first().click();
  await expect(page).toHaveURL(/\/sync\/definitions\//);
  await expect(page.locator("main h1")).toBeVisible();
  await axe.check(page, "sync definition");
  await page.goto("/sync");
  await page.locator('a[href^="/sync/remotes/"]').first().click();
  await expect(page).toHaveURL(/\/sync\/remotes\//);
  await expect(page.locator("main h1")).toBeVisible();
  await axe.check(page, "remote system");

  console.log(axe.report());
  axe.save("test-results/axe/violations.json");
  expect(axe.blocking(), axe.report()).toEqual([]);
});

test("keyboard: a confirmation traps focus, Escape closes it and focus returns to its button", async ({
  page,
}) => {
  await signIn(page, `/records/incident/${incidentId}`);
  const del = page.getByTestId("form-delete");
  await del.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  // Cancel is the safe default; Tab and Shift+Tab stay inside the dialog.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Shift+Tab");
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(del).toBeFocused();
});

test("keyboard: the template dialog traps focus and closes on Escape, focus back on its button", async ({
  page,
}) => {
  await signIn(page, "/flows");
  const open = page.getByTestId("new-from-template");
  await open.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "New flow from a template" });
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused();
});

test("keyboard: the account menu opens from its button, arrows move, Escape returns focus", async ({
  page,
}) => {
  await signIn(page, "/dashboard");
  await expect(page.getByTestId("stat-outbound-processed")).toContainText(/\d/); // hydrated
  const button = page.getByTestId("user-menu");
  await expect(button).toHaveAttribute("aria-haspopup", "menu");
  await button.focus();
  await page.keyboard.press("ArrowDown");
  const menu = page.getByTestId("user-menu-content");
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("role", "menu");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const signOut = menu.getByRole("menuitem", { name: "Sign out" });
  await expect(signOut).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(signOut).toBeFocused(); // the only item: the arrows keep focus in the menu
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();
});

test("dashboard chart: hover shows the values, the window switches between 1 h, 24 h and 7 d", async ({
  page,
}) => {
  await signIn(page, "/dashboard");
  const chart = page.getByTestId("chart-outbound");
  const bar = chart.locator(".recharts-bar-rectangle path").first();
  await expect(bar).toBeVisible();
  await bar.hover();
  await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText(/Processed\s*:\s*\d+/);
  await expect(page.getByTestId("chart-outbound-totals")).toContainText("last 24 h");
  // Radix ToggleGroup: one tab stop, arrows move between windows, Space or Enter picks.
  await page.getByTestId("chart-window-24h").focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("chart-window-1h")).toBeFocused();
  await page.keyboard.press("Space");
  await expect(page.getByTestId("chart-window-1h")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("chart-outbound-totals")).toContainText("last hour");
  await expect(page.getByTestId("chart-outbound-totals")).toContainText(/[1-9]\d* processed/);
  await page.getByTestId("chart-window-7d").click();
  await expect(page.getByTestId("chart-outbound-totals")).toContainText("last 7 days");
  const ticks = await chart.locator(".recharts-xAxis .recharts-cartesian-axis-tick").count();
  expect(ticks).toBeGreaterThan(1);
});
