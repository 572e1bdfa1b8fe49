import { expect, screenshot, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { RecordListPage } from "./pages/record-list-page";

test("the list pages 20 at a time, sorts by a column, keeps its state in the URL, and says when nothing matches", async ({
  page,
  tandem,
}) => {
  const tag = `bulk${Date.now().toString(36)}`;
  for (let i = 0; i < 22; i++) {
    const res = await tandem.api("/api/now/table/incident", {
      method: "POST",
      body: {
        short_description: `${tag} item ${String(i).padStart(2, "0")}`,
        impact: i % 2 === 0 ? "1" : "3",
      },
    });
    expect(res.status).toBe(201);
  }

  await page.goto("/login?next=/records/incident");
  await new LoginPage(page).signInAndWait("admin", "admin");
  const list = new RecordListPage(page);
  await list.searchFor(tag);
  await expect(list.range).toHaveText("1–20 of 22");
  await expect(list.rows).toHaveCount(20);
  await page.getByTestId("page-next").click();
  await expect(list.range).toHaveText("21–22 of 22");
  await expect(list.rows).toHaveCount(2);
  await expect(page.getByTestId("page-next")).toBeDisabled();

  // Sorting starts again at page 1 of the new order.
  await list.sortBy("short_description");
  await expect(list.encodedQuery).toContainText("^ORDERBYshort_description");
  await page.getByTestId("page-prev").click();
  await expect(list.rows.first()).toContainText(`${tag} item 00`);
  await list.sortBy("short_description");
  await expect(list.encodedQuery).toContainText("^ORDERBYDESCshort_description");
  await expect(list.rows.first()).toContainText(`${tag} item 21`);

  // The state survives a reload: it lives in the URL.
  await expect(page).toHaveURL(new RegExp(`q=${tag}.*sort=short_description&dir=desc`));
  await page.reload();
  await expect(list.search).toHaveValue(tag);
  await expect(list.rows.first()).toContainText(`${tag} item 21`);

  await list.searchFor(`${tag}-nothing`);
  await expect(list.empty).toContainText("No incidents match this filter");
  await expect(list.range).toHaveText("0 of 0");
  await screenshot(page, "incident-list-empty");
});

test("a list that fails to load says so and retries on request", async ({ page }) => {
  await page.goto("/login?next=/records/sys_user");
  await new LoginPage(page).signInAndWait("admin", "admin");
  const list = new RecordListPage(page);
  await expect(list.rows.first()).toBeVisible();

  // The server answers 500 until the route is released.
  await page.route("**/api/trpc/records.list**", (route) =>
    route.fulfill({ status: 500, contentType: "application/json", body: "{}" }),
  );
  await list.searchFor("an");
  await expect(page.getByTestId("list-error")).toContainText("could not be loaded");
  await page.unroute("**/api/trpc/records.list**");
  await page.getByTestId("list-retry").click();
  await expect(list.rows.first()).toBeVisible();
});
