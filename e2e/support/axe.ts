import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

// axe-core against what the browser shows, with the WCAG 2.1 A/AA rules. Each check records its
// page's violations, so a spec can print the totals by impact and fail on serious or critical.

export type Impact = "critical" | "serious" | "moderate" | "minor";
export const impacts: Impact[] = ["critical", "serious", "moderate", "minor"];

export interface PageResult {
  name: string;
  violations: Array<{ id: string; impact: Impact; help: string; nodes: string[]; details: string[] }>;
}

export class AxeLedger {
  readonly pages: PageResult[] = [];

  /** Runs axe on the page as it is now and records the result under `name`. */
  async check(page: Page, name: string): Promise<PageResult> {
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
      .analyze();
    const entry: PageResult = {
      name,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: (v.impact ?? "minor") as Impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        details: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
      })),
    };
    this.pages.push(entry);
    return entry;
  }

  counts(): Record<Impact, number> {
    const out: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
    for (const p of this.pages) for (const v of p.violations) out[v.impact] += 1;
    return out;
  }

  /** Serious and critical ones, described for a failure message. */
  blocking(): string[] {
    return this.pages.flatMap((p) =>
      p.violations
        .filter((v) => v.impact === "critical" || v.impact === "serious")
        .map((v) => `${p.name}: [${v.impact}] ${v.id} — ${v.help} at ${v.nodes.join(", ")}`),
    );
  }

  /** Every violating element with axe's explanation, for whoever fixes them. */
  save(file: string): void {
    fs.mkdirSync(file.replace(/\/[^/]*$/, ""), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(this.pages, null, 2));
  }

  report(): string {
    const c = this.counts();
    const lines = [
      `axe: ${this.pages.length} pages checked; violations by impact: ${impacts.map((i) => `${i} ${c[i]}`).join(", ")}`,
    ];
    for (const p of this.pages) {
      const byRule = p.violations.map((v) => `${v.id} (${v.impact})`).join(", ");
      lines.push(`  ${p.name}: ${p.violations.length === 0 ? "no violations" : byRule}`);
    }
    return lines.join("\n");
  }
}
