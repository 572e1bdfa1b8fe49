import { createHash, randomBytes } from "node:crypto";
import { api, hardwareGroup, type Pair, query, startPair, waitFor } from "../tests/support/pair";
import { expect, screenshot, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { RecordFormPage } from "./pages/record-form-page";

// A person attaches a file to an incident in alpha's UI; a colleague opens the correlated
// incident in beta's UI and downloads the very same bytes.
test.describe("attachments across instances", () => {
  let pair: Pair;
  test.beforeAll(async () => {
    pair = await startPair();
  });
  test.afterAll(async () => {
    await pair?.stop();
  });

  test("a file attached on alpha downloads byte-identical from beta", async ({ browser }) => {
    // ARRANGE: a Hardware incident that alpha has synced to beta
    const group = await hardwareGroup(pair.alpha);
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Keyboard spilled coffee",
      assignment_group: group,
    });
    const alphaId = created.body.result.sys_id as string;
    await waitFor(
      () => query(pair.beta, "SELECT 1 FROM correlation").length === 1,
      5000,
      "the incident on beta",
    );
    const betaId = query<{ record_sys_id: string }>(pair.beta, "SELECT record_sys_id FROM correlation")[0]
      ?.record_sys_id;
    const bytes = randomBytes(64 * 1024);

    // ACT: attach in alpha's UI
    const alpha = await browser.newPage({ baseURL: pair.alpha.inst.url });
    await new LoginPage(alpha).goto(`/records/incident/${alphaId}`);
    await new LoginPage(alpha).signInAndWait("admin", "admin");
    await new RecordFormPage(alpha).attach("receipt.pdf", "application/pdf", bytes);

    // ASSERT: beta's UI shows it and downloads the same bytes
    await waitFor(
      () => query(pair.beta, "SELECT 1 FROM attachment WHERE table_sys_id = ?", betaId).length === 1,
      10_000,
      "the file on beta",
    );
    const beta = await browser.newPage({ baseURL: pair.beta.inst.url, acceptDownloads: true });
    await new LoginPage(beta).goto(`/records/incident/${betaId}`);
    await new LoginPage(beta).signInAndWait("beth.anglin", "beth.anglin");
    const form = new RecordFormPage(beta);
    await expect(form.attachmentRows.filter({ hasText: "receipt.pdf" })).toBeVisible();
    const downloaded = await form.download("receipt.pdf");
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(sha(downloaded)).toBe(sha(bytes));
    await screenshot(beta, "beta-incident-with-synced-attachment");
  });
});
