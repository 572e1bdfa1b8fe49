import { type BrowserContext, test as base } from "@playwright/test";

// Fails any test whose pages report a Content-Security-Policy violation (issue 12): Chromium's
// console message ("Refused to … because it violates the following Content Security Policy
// directive") and the page's own `securitypolicyviolation` event, both. Every spec's `test`
// derives from this one, including contexts a spec opens itself with browser.newContext().

const cspMessage = /content security policy|CSP violation/i;

function watch(context: BrowserContext, violations: string[]): void {
  void context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  context.on("console", (message) => {
    if (cspMessage.test(message.text()))
      violations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
  });
  context.on("weberror", (error) => {
    if (cspMessage.test(error.error().message)) violations.push(error.error().message);
  });
}

// Worker-wide: contexts that a spec opens in beforeAll are watched too. Each test then fails on
// the violations seen while it ran.
// biome-ignore lint/suspicious/noConfusingVoidType: Playwright's type for a fixture without a value
export const test = base.extend<{ cspGuard: void }, { cspViolations: string[] }>({
  cspViolations: [
    async ({ browser }, use) => {
      const violations: string[] = [];
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const created = await newContext(...args);
        watch(created, violations);
        return created;
      };
      await use(violations);
      browser.newContext = newContext;
    },
    { scope: "worker", auto: true },
  ],
  cspGuard: [
    async ({ context, cspViolations }, use) => {
      watch(context, cspViolations);
      await use();
      const seen = cspViolations.splice(0);
      if (seen.length > 0) throw new Error(`Content-Security-Policy violations:\n${seen.join("\n")}`);
    },
    { auto: true },
  ],
});
