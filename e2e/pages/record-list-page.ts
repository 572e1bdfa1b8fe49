import { expect, type Locator, type Page } from "@playwright/test";

export class RecordListPage {
  readonly search: Locator;
  readonly rows: Locator;
  readonly encodedQuery: Locator;
  readonly range: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByTestId("list-search");
    this.rows = page.getByTestId("record-row");
    this.encodedQuery = page.getByTestId("encoded-query");
    this.range = page.getByTestId("list-range");
    this.empty = page.getByTestId("list-empty");
  }

  async goto(table: string): Promise<void> {
    await this.page.goto(`/records/${table}`);
    await expect(this.page.getByTestId("record-list")).toBeVisible();
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text);
    await expect(this.encodedQuery).toContainText(`LIKE${text}`);
  }

  async filter(fieldLabel: string, operatorLabel: string, value: string): Promise<void> {
    await this.page.getByTestId("filter-field").selectOption({ label: fieldLabel });
    await this.page.getByTestId("filter-operator").selectOption({ label: operatorLabel });
    const input = this.page.getByTestId("filter-value");
    if ((await input.evaluate((el) => el.tagName)) === "SELECT") await input.selectOption({ label: value });
    else await input.fill(value);
    await this.page.getByTestId("filter-apply").click();
  }

  row(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }

  async sortBy(column: string): Promise<void> {
    await this.page.getByTestId(`sort-${column}`).click();
  }
}
