import type { Locator, Page } from "@playwright/test";

export class LoginPage {
  readonly userName: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.userName = page.getByLabel("User name");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in" });
    this.error = page.getByTestId("login-error");
  }

  async goto(next?: string): Promise<void> {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  }

  /** Types like a user and presses Enter (the form is keyboard-friendly). */
  async signIn(userName: string, password: string): Promise<void> {
    await this.userName.fill(userName);
    await this.password.fill(password);
    await this.password.press("Enter");
  }

  /** Signs in and waits until the app has taken the user on from the login page. */
  async signInAndWait(userName: string, password: string): Promise<void> {
    await this.signIn(userName, password);
    await this.page.waitForURL((url) => !url.pathname.startsWith("/login"));
  }
}
