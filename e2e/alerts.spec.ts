import { expect, test } from "@playwright/test";
import {
  api,
  hardwareGroup,
  type Pair,
  query,
  remoteState,
  restart,
  startPair,
  trpc,
  waitFor,
} from "../tests/support/pair";
import { type ReceivedMail, startSmtp } from "../tests/support/smtp";
import { screenshot } from "./fixtures";
import { signedInPage } from "./pages/operations-pages";

// An alert on queue age (issue 15), on two real instances and a real SMTP server:
//   alpha ──✗ beta down──▶ rows wait; the oldest ready row passes 2 s ─▶ alert fires:
//     one email (also across a restart of alpha), shown on the dashboard and the designer banner
//   beta back + Validate and Activate ─▶ rows go through ─▶ alert clears ("cleared" email)

test.describe.configure({ mode: "serial", timeout: 180_000 });

let pair: Pair;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const alertMails = () => smtp.mails.filter((m: ReceivedMail) => /Alert: beta queue age/.test(m.subject));
const clearedMails = () => smtp.mails.filter((m: ReceivedMail) => /Cleared: beta queue age/.test(m.subject));

test.beforeAll(async () => {
  smtp = await startSmtp();
  pair = await startPair({ SMTP_URL: smtp.url, TANDEM_ALERT_INTERVAL_MS: "300" });
});

test.afterAll(async () => {
  await pair?.stop();
  await smtp?.stop();
});

test("queue age alert fires once while the remote is unreachable and clears after Validate and Activate", async ({
  browser,
}) => {
  // ARRANGE: alpha alerts when a row waits over 2 s; beta is down
  const remote = remoteState(pair.alpha);
  await trpc(pair.alpha, "syncConfig.updateRemote", {
    id: remote.id,
    data: { alertQueueAgeMs: 2000, retryTimes: 3, retryIntervalMs: 300, retryBackoff: "fixed" },
  });
  await pair.beta.inst.stop();
  const group = await hardwareGroup(pair.alpha);

  // ACT: two incidents that cannot be delivered. The first uses up the retries and turns the
  // remote to error; the second, written then, waits ready (nothing is sent to a remote in error)
  // and grows old. Written together, both would be tried at once and both end in error, leaving no
  // ready row to age: which of the two happened depended on timing.
  const write = (i: number) =>
    api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: `Alert ${i}`,
      assignment_group: group,
    });
  await write(1);
  await waitFor(() => remoteState(pair.alpha).outbound === "error", 15_000, "the remote to turn to error");
  await write(2);

  // ASSERT: one alert email, the dashboard and the designer's banner show it
  await waitFor(() => alertMails().length > 0, 30_000, "the alert email");
  const context = await browser.newContext({ baseURL: pair.alpha.inst.url });
  const page = await signedInPage(context, "/dashboard");
  await expect(page.getByTestId("dashboard-alert-beta-queue_age")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("dashboard-alert-beta-queue_age")).toContainText("oldest ready row");
  await screenshot(page, "alert-dashboard");
  const flow = query<{ id: string }>(pair.alpha, "SELECT id FROM flow WHERE kind = 'outbound' LIMIT 1")[0];
  await page.goto(`/flows/${flow?.id}`);
  await expect(page.getByTestId("alert-banner")).toContainText("beta");

  // A restart of alpha keeps the state: no second email for the same firing
  await context.close();
  await pair.alpha.inst.stop();
  await restart(pair.alpha, "alpha");
  await new Promise((r) => setTimeout(r, 3000)); // ten evaluator passes
  expect(alertMails()).toHaveLength(1);
  expect(alertMails()[0]?.to).toContain("admin@alpha.localhost");
  expect(query(pair.alpha, "SELECT state FROM remote_alert WHERE kind = 'queue_age'")).toEqual([
    { state: "firing" },
  ]);

  // ACT: beta back, then Validate and Activate in alpha's UI
  await restart(pair.beta, "beta");
  const context2 = await browser.newContext({ baseURL: pair.alpha.inst.url });
  const page2 = await signedInPage(context2, `/sync/remotes/${remote.id}`);
  await page2.getByTestId("validate-activate").click();
  await expect(page2.getByTestId("remote-outbound-state")).toContainText("active", { timeout: 20_000 });

  // ASSERT: the rows go through, the alert clears on the dashboard, one "cleared" email
  await waitFor(
    () =>
      query<{ n: number }>(
        pair.alpha,
        "SELECT count(*) AS n FROM outbound_queue WHERE status = 'processed'",
      )[0]?.n === 2,
    30_000,
    "both rows to be delivered",
  );
  await page2.goto("/dashboard");
  await expect(page2.getByTestId("dashboard-no-alerts")).toBeVisible({ timeout: 15_000 });
  await waitFor(() => clearedMails().length > 0, 15_000, "the cleared email");
  expect(alertMails()).toHaveLength(1);
  expect(clearedMails()).toHaveLength(1);
  await context2.close();
});
