import { expect } from "@playwright/test";
import { basic, startInstance } from "../tests/support/instances";
import { test as base } from "./csp-guard";

// One real Tandem instance per worker (scripts/server.mjs on a free port, fresh data folder), as an
// operator runs it. E2E_BASE_URL points the tests at a server you already run instead.

export interface Tandem {
  url: string;
  name: string;
  /** Calls the instance's Table API as admin (test set-up over HTTP, like a script would). */
  api: (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>;
}

export const test = base.extend<{ tandem: Tandem }, { tandemWorker: Tandem }>({
  tandemWorker: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const external = process.env.E2E_BASE_URL;
      const running = external ? null : await startInstance({ name: "alpha" });
      const url = external ?? running?.url ?? "";
      const api: Tandem["api"] = (path, init = {}) =>
        fetch(`${url}${path}`, {
          method: init.method ?? "GET",
          headers: { authorization: basic("admin", "admin"), "content-type": "application/json" },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
      await use({ url, name: running?.name ?? "alpha", api });
      await running?.stop();
    },
    { scope: "worker", timeout: 90_000 },
  ],
  tandem: async ({ tandemWorker }, use) => use(tandemWorker),
  baseURL: async ({ tandemWorker }, use) => use(tandemWorker.url),
});

export { expect };

/** Saves a screenshot of the page as a test artifact under test-results/screenshots/. */
export async function screenshot(page: import("@playwright/test").Page, name: string): Promise<void> {
  // From the top, so the sticky bars sit where they belong in a full-page image; toasts are
  // hidden, being transient and in the way of what the screenshot is for.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage: true,
    style: "[data-testid=toaster] { display: none !important; }",
  });
}
