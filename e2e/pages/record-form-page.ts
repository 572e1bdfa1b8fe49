import { expect, type Locator, type Page } from "@playwright/test";

export class RecordFormPage {
  readonly title: Locator;
  readonly saveButton: Locator;
  readonly journalEntries: Locator;
  readonly attachmentRows: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByTestId("form-title");
    this.saveButton = page.getByTestId("form-save");
    this.journalEntries = page.getByTestId("journal-entry");
    this.attachmentRows = page.getByTestId("attachment-row");
  }

  async gotoNew(table: string): Promise<void> {
    await this.page.goto(`/records/${table}/new`);
    await expect(this.page.getByTestId("record-form")).toBeVisible();
  }

  field(label: string): Locator {
    return this.page.getByTestId("record-form").getByLabel(label, { exact: true });
  }

  /** Types into a reference picker and chooses the option with this display value. */
  async pickReference(label: string, search: string, choose: string): Promise<void> {
    const input = this.field(label);
    await input.click();
    await input.fill(search);
    await this.page.getByTestId("reference-option").filter({ hasText: choose }).first().click();
    await expect(input).toHaveValue(choose);
  }

  async save(): Promise<void> {
    await this.saveButton.click();
    await expect(this.page.getByTestId("toast-success").last()).toBeVisible();
  }

  async addJournal(kind: "comments" | "work_notes", text: string): Promise<void> {
    await this.page.getByTestId(`journal-type-${kind}`).click();
    await this.page.getByTestId("journal-text").fill(text);
    await this.page.getByTestId("journal-post").click();
    await expect(this.journalEntries.filter({ hasText: text })).toBeVisible();
  }

  async attach(name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await this.page.getByTestId("attachment-input").setInputFiles({ name, mimeType, buffer });
    await expect(this.attachmentRows.filter({ hasText: name })).toBeVisible();
  }

  /** Downloads an attachment through its link and returns the bytes. */
  async download(name: string): Promise<Buffer> {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.attachmentRows.filter({ hasText: name }).getByTestId("attachment-download").click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
