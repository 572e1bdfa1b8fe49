import { type BrowserContext, expect, type Locator, type Page } from "@playwright/test";
import { LoginPage } from "./login-page";

// Page objects of the operations UI: sync configuration, queue monitor, dashboard.

export async function signedInPage(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto(path);
  await login.signInAndWait("admin", "admin");
  return page;
}

export class SyncConfigPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/sync");
    await expect(this.page.getByTestId("pairing")).toBeVisible();
  }

  async createInvitation(): Promise<string> {
    await this.page.getByTestId("pairing-invite").click();
    const token = this.page.getByTestId("pairing-token");
    await expect(token).toHaveValue(/^tandem-pair:/);
    return token.inputValue();
  }

  async acceptInvitation(token: string): Promise<void> {
    await this.page.getByLabel("Paste the invitation created on the other instance.").fill(token);
    await this.page.getByTestId("pairing-accept").click();
  }

  /** Creates a definition and opens it. */
  async createDefinition(name: string, description: string): Promise<void> {
    await this.page.getByTestId("definitions-new").click();
    await this.page.getByLabel("Name", { exact: true }).fill(name);
    await this.page.getByLabel("Description", { exact: true }).fill(description);
    await this.page.getByTestId("definition-form-save").click();
    await this.page.getByRole("link", { name }).click();
    await expect(this.page.getByRole("heading", { name })).toBeVisible();
  }

  async addEvent(name: string): Promise<void> {
    await this.page.getByTestId("events-new").click();
    // The form focuses its first field, so typing goes straight in (keyboard flow).
    await this.page.keyboard.type(name);
    await this.page.keyboard.press("Enter");
    await expect(this.page.getByTestId("events").getByText(name)).toBeVisible();
  }

  async addBinding(direction: "outbound" | "inbound"): Promise<void> {
    await this.page.getByTestId(`${direction}-bindings-new`).click();
    const form = this.page.getByTestId(`${direction}-binding-form`);
    await form.getByTestId(`${direction}-from-template`).click();
    await expect(form.getByLabel(`Published ${direction} flow`)).not.toHaveValue("");
    await form.getByTestId(`${direction}-binding-form-save`).click();
    await expect(form).toHaveCount(0);
    await expect(this.page.getByTestId(`${direction}-bindings`).locator("tbody tr")).toHaveCount(1);
  }

  captureForm(): Locator {
    return this.page.getByTestId("capture-form");
  }
}

export class MonitorPage {
  constructor(readonly page: Page) {}

  async goto(queue: "outbound" | "inbound", status?: string): Promise<void> {
    await this.page.goto(`/queues?queue=${queue}${status ? `&status=${status}` : ""}`);
    await expect(this.page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
    // Until the first answer, the table holds placeholder rows: a count taken then is wrong.
    await expect(this.page.getByTestId("list-loading")).toHaveCount(0);
  }

  /** The queue's rows as loaded (never the loading placeholders). */
  rows(status?: string): Locator {
    const body = this.page.getByTestId("monitor-table").locator("tbody:not([aria-busy])");
    return status ? body.locator(`tr[data-status="${status}"]`) : body.locator("tr");
  }

  async open(id: number): Promise<Locator> {
    await this.page.getByRole("button", { name: `Open row ${id}`, exact: true }).click();
    const drawer = this.page.getByTestId("row-drawer");
    await expect(drawer.getByTestId("drawer-status")).toBeVisible();
    return drawer;
  }

  async confirm(): Promise<void> {
    await this.page
      .getByTestId("confirm-dialog")
      .getByRole("button", { name: /Reprocess|Skip/ })
      .click();
    await expect(this.page.getByTestId("confirm-dialog")).toHaveCount(0);
  }

  async ids(status?: string): Promise<number[]> {
    const ids = await this.rows(status).evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute("data-testid") ?? ""),
    );
    return ids.map((t) => Number(t.replace("row-", "")));
  }
}
