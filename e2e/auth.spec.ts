import { basic } from "../tests/support/instances";
import { expect, screenshot, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test.describe("signing in", () => {
  test("a wrong password is refused with a clear message", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn("admin", "not-the-password");
    await expect(login.error).toHaveText("Wrong user name or password");
    await expect(page).toHaveURL(/\/login/);
    await expect(login.userName).toHaveValue("admin");
    await screenshot(page, "login-error");
  });

  test("signing in returns to the page asked for, with an HttpOnly SameSite cookie; signing out ends it", async ({
    page,
    context,
  }) => {
    await page.goto("/records/sys_user_group");
    await expect(page).toHaveURL(/\/login\?next=%2Frecords%2Fsys_user_group/);
    await screenshot(page, "login");
    await new LoginPage(page).signIn("admin", "admin");
    await expect(page).toHaveURL(/\/records\/sys_user_group$/);
    await expect(page.getByTestId("record-row").filter({ hasText: "Hardware" })).toBeVisible();
    await expect(page.getByTestId("instance-badge")).toHaveText(/alpha/);

    const cookie = (await context.cookies()).find((c) => c.name === "tandem_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });

    // Sign out sits in the account menu: open it from the keyboard, as a menu button opens.
    await page.getByTestId("user-menu").focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeFocused();
    await page.getByTestId("logout").click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/records/incident");
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("a sync_api-only account cannot sign in or open UI pages", async ({ page, tandem, request }) => {
    const peer = `peer.${Date.now().toString(36)}`;
    const created = await tandem.api("/api/now/table/sys_user", {
      method: "POST",
      body: { user_name: peer, name: "Beta instance", roles: "sync_api", user_password: "peer-secret" },
    });
    expect(created.status).toBe(201);

    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(peer, "peer-secret");
    await expect(login.error).toContainText("sync_api");
    await expect(page).toHaveURL(/\/login/);

    const direct = await request.get("/records/incident", {
      headers: { authorization: basic(peer, "peer-secret") },
      maxRedirects: 0,
    });
    expect(direct.status()).toBe(403);
    expect(await direct.text()).toContain("cannot use the Tandem UI");
  });

  test("roles shape what a user can do: an operator reads incidents but cannot create them", async ({
    page,
  }) => {
    await page.goto("/login?next=/records/incident");
    await new LoginPage(page).signInAndWait("operator", "operator");
    await expect(page.getByTestId("record-row").first()).toBeVisible();
    await expect(page.getByTestId("list-new")).toHaveCount(0);
    await expect(page.getByTestId("nav-queues")).toBeVisible();
    await expect(page.getByTestId("nav-sync")).toHaveCount(0);
    const sync = await page.goto("/sync");
    expect(sync?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("You do not have access to this page");
    await screenshot(page, "forbidden");
  });
});
