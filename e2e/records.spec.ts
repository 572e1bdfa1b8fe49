import { randomBytes } from "node:crypto";
import { expect, screenshot, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { RecordFormPage } from "./pages/record-form-page";
import { RecordListPage } from "./pages/record-list-page";

test("an agent creates an incident, comments, attaches a file, and finds it all in the list and the form", async ({
  page,
}, testInfo) => {
  const subject = `Docking station flickers ${testInfo.workerIndex}-${Date.now().toString(36)}`;
  const comment = "Swapped the USB-C cable; still flickering on the left screen.";
  const bytes = randomBytes(48 * 1024);

  // ARRANGE: an itil user signs in and lands on the incident list.
  await page.goto("/records/incident");
  await new LoginPage(page).signInAndWait("beth.anglin", "beth.anglin");
  const list = new RecordListPage(page);
  await expect(list.rows.first()).toBeVisible();
  await expect(list.range).toHaveText(/^1–\d+ of \d+$/);
  await screenshot(page, "incident-list");

  // ACT: create the incident in the form.
  await page.getByTestId("list-new").click();
  const form = new RecordFormPage(page);
  await expect(form.title).toHaveText("New incident");
  await form.field("Short description").fill(subject);
  await form.pickReference("Assignment group", "hard", "Hardware");
  await form.field("Impact").selectOption({ label: "1 - High" });
  await form.save();
  await expect(page).toHaveURL(/\/records\/incident\/[0-9a-f]{32}$/);
  await expect(form.title).toHaveText(/^Incident INC\d{7}$/);
  const number = (await form.title.textContent())?.replace("Incident ", "") ?? "";
  // Priority is computed from impact 1 and urgency 3.
  await expect(form.field("Priority")).toHaveValue("3");

  await form.addJournal("comments", comment);
  await form.attach("dock-diagnostics.bin", "application/octet-stream", bytes);
  await screenshot(page, "incident-form");
  // Over the instance's limit (10 MB by default): refused with the limit in the message.
  await page.getByTestId("attachment-input").setInputFiles({
    name: "huge.iso",
    mimeType: "application/octet-stream",
    buffer: Buffer.alloc(10 * 1024 * 1024 + 1),
  });
  await expect(page.getByTestId("attachment-error")).toHaveText("File too large (limit 10 MB)");
  await expect(form.attachmentRows).toHaveCount(1);

  // ASSERT: the list finds it by search and by filter, with display values.
  await page.getByRole("link", { name: "Incidents" }).first().click();
  await list.searchFor(subject);
  await expect(list.rows).toHaveCount(1);
  await expect(list.row(subject)).toContainText(number);
  await expect(list.row(subject)).toContainText("Hardware");
  await expect(list.encodedQuery).toHaveText(
    `numberLIKE${subject}^ORshort_descriptionLIKE${subject}^ORDERBYDESCnumber`,
  );
  await list.filter("Impact", "is", "1 - High");
  await expect(list.encodedQuery).toContainText("^impact=1^");
  await expect(list.rows).toHaveCount(1);
  await screenshot(page, "incident-list-filtered");

  await list.row(subject).click();
  await expect(form.title).toHaveText(`Incident ${number}`);
  await expect(form.field("Assignment group")).toHaveValue("Hardware");
  await expect(form.journalEntries.filter({ hasText: comment })).toContainText("Beth Anglin");
  await expect(form.journalEntries.filter({ hasText: comment })).toContainText("Additional comments");
  await expect(form.attachmentRows.filter({ hasText: "dock-diagnostics.bin" })).toContainText("48.0 KB");
  const downloaded = await form.download("dock-diagnostics.bin");
  expect(downloaded.equals(bytes)).toBe(true);
});

test("the form shows server validation next to the field and saves with Ctrl+S", async ({ page }) => {
  await page.goto("/login?next=/records/incident/new");
  await new LoginPage(page).signInAndWait("beth.anglin", "beth.anglin");
  const form = new RecordFormPage(page);
  await expect(form.title).toHaveText("New incident");

  await form.saveButton.click();
  await expect(page.getByTestId("field-error-short_description")).toHaveText("Short description is required");

  await form.field("Short description").fill("Keyboard missing keys");
  await page.keyboard.press("ControlOrMeta+s");
  await expect(page).toHaveURL(/\/records\/incident\/[0-9a-f]{32}$/);
  await expect(page.getByTestId("toast-success").last()).toContainText("created");

  await form.field("State").selectOption({ label: "In Progress" });
  await form.field("Short description").press("ControlOrMeta+s");
  await expect(page.getByTestId("toast-success").last()).toContainText("saved");
  await page.getByTestId("history-toggle").click();
  await expect(page.getByTestId("history-list")).toContainText("New");
  await expect(page.getByTestId("history-list")).toContainText("In Progress");
  await screenshot(page, "incident-history");
});

test("deleting asks first, then removes the record", async ({ page, tandem }) => {
  const res = await tandem.api("/api/now/table/incident", {
    method: "POST",
    body: { short_description: "Duplicate ticket to delete" },
  });
  const { result } = (await res.json()) as { result: { sys_id: string; number: string } };
  await page.goto(`/records/incident/${result.sys_id}`);
  await new LoginPage(page).signInAndWait("beth.anglin", "beth.anglin");
  const form = new RecordFormPage(page);
  await expect(form.title).toHaveText(`Incident ${result.number}`);
  await page.getByTestId("form-delete").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.getByTestId("form-delete").click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/records\/incident$/);
  const gone = await tandem.api(`/api/now/table/incident/${result.sys_id}`);
  expect(gone.status).toBe(404);
});

test("a file attached while the attachment list is still loading appears once the upload is done", async ({
  page,
  tandem,
}) => {
  // ARRANGE: an incident, and its attachment list held back until the upload has been answered
  // (the race of a quick user, or of a slow first load).
  const created = await tandem.api("/api/now/table/incident", {
    method: "POST",
    body: { short_description: "Laptop fan grinds" },
  });
  const sysId = ((await created.json()) as { result: { sys_id: string } }).result.sys_id;
  let uploaded!: () => void;
  const uploadAnswered = new Promise<void>((resolve) => {
    uploaded = resolve;
  });
  let held = 0;
  await page.route(/\/api\/trpc\/[^?]*attachments\.list/, async (route) => {
    if (held++ > 0) return route.continue();
    // The server answers this first load before the file exists; the answer arrives half a
    // second after the upload's, long after the page has asked for the list again.
    const early = await route.fetch();
    await uploadAnswered;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.fulfill({ response: early });
  });
  page.on("response", (response) => {
    if (response.url().includes("/api/now/attachment/file")) uploaded();
  });
  await page.goto(`/records/incident/${sysId}`);
  await new LoginPage(page).signInAndWait("beth.anglin", "beth.anglin");

  // ACT: attach before the first list has arrived
  await page.getByTestId("attachment-input").setInputFiles({
    name: "fan-noise.wav",
    mimeType: "audio/wav",
    buffer: randomBytes(4 * 1024),
  });

  // ASSERT: the list shows the file, not the empty answer of the load that began before it
  await expect(page.getByTestId("attachment-row").filter({ hasText: "fan-noise.wav" })).toBeVisible();
  expect(held).toBeGreaterThan(1);
});
