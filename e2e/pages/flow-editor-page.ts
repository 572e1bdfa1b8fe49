import { expect, type Locator, type Page } from "@playwright/test";

/** The flow designer, driven like a user: palette drags, handle drags, inspector clicks. */
export class FlowEditorPage {
  readonly canvas: Locator;
  readonly saveStatus: Locator;
  readonly publishButton: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId("flow-canvas");
    this.saveStatus = page.getByTestId("save-status");
    this.publishButton = page.getByTestId("publish");
  }

  node(id: string): Locator {
    return this.page.locator(`.react-flow__node[data-id="${id}"]`);
  }

  async cloneTemplate(templateName: string, name: string): Promise<string> {
    await this.page.goto("/flows");
    await this.page.getByTestId("new-from-template").click();
    await this.page.getByText(templateName, { exact: true }).click();
    await this.page.getByTestId("template-name").fill(name);
    await this.page.getByTestId("template-create").click();
    await this.page.waitForURL(/\/flows\/[0-9a-f]{32}$/);
    await expect(this.page.getByTestId("editor-title")).toHaveText(name);
    return new URL(this.page.url()).pathname.split("/").at(-1) as string;
  }

  /** Drags a node type from the palette and drops it at canvas-relative coordinates. */
  async dropFromPalette(typeId: string, at: { x: number; y: number }): Promise<void> {
    await this.page.getByTestId(`palette-${typeId}`).dragTo(this.canvas, { targetPosition: at });
  }

  /** Press on a source port, move (with steps, so React Flow sees a drag) onto the target's input. */
  async startConnection(source: string, port: string, target: string): Promise<void> {
    const from = await this.page.getByTestId(`handle-${source}-${port}`).boundingBox();
    const to = await this.node(target).locator(".react-flow__handle.target").boundingBox();
    if (!from || !to) throw new Error(`handles of ${source}/${target} not visible`);
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  }

  async connect(source: string, port: string, target: string): Promise<void> {
    await this.startConnection(source, port, target);
    await this.page.mouse.up();
  }

  /**
   * Connects and waits for the new edge. A template fitted into the view draws its ports a few
   * pixels wide, so a press can land just beside one: then the gesture is made again.
   */
  async connectAndWait(source: string, port: string, target: string): Promise<void> {
    const before = await this.edgeCount();
    for (let attempt = 1; ; attempt++) {
      await this.connect(source, port, target);
      const deadline = Date.now() + 2_000;
      while (Date.now() < deadline) {
        if ((await this.edgeCount()) > before) return;
        await this.page.waitForTimeout(100);
      }
      if (attempt === 3) throw new Error(`No edge from ${source}.${port} to ${target} after 3 attempts`);
    }
  }

  /**
   * A node label's size on screen in px: its computed font size times the canvas zoom (the
   * viewport's CSS scale), and whether the node lies inside the visible canvas.
   */
  async labelOnScreen(id: string): Promise<{ px: number; zoom: number; inView: boolean }> {
    return this.page.evaluate((nodeId) => {
      const label = document.querySelector(`[data-testid="node-label-${nodeId}"]`);
      const viewport = document.querySelector(".react-flow__viewport");
      const canvas = document.querySelector('[data-testid="flow-canvas"]');
      if (!label || !viewport || !canvas) throw new Error(`no label for ${nodeId}`);
      const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
      const r = label.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      const inView = r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom;
      return { px: Number.parseFloat(getComputedStyle(label).fontSize) * zoom, zoom, inView };
    }, id);
  }

  /** Fits the whole flow into the canvas (the Controls button), for steps that reach far nodes. */
  async fitView(): Promise<void> {
    await this.page.locator(".react-flow__controls-fitview").click();
  }

  async select(id: string): Promise<void> {
    await this.node(id).click();
    await this.tab("inspect");
  }

  async tab(name: "inspect" | "problems" | "test" | "history"): Promise<void> {
    await this.page.getByTestId(`tab-${name}`).click();
  }

  /** Opens a binding field's pill mode and picks `path` (e.g. steps.transform.sys_id) from the tree. */
  async pickPill(field: string, path: string): Promise<void> {
    await this.page.getByTestId(`mode-${field}-pill`).click();
    const parts = path.split(".");
    await this.page.getByTestId(`pill-source-${parts[0] === "inputs" ? "inputs" : parts[1]}`).click();
    for (let i = parts[0] === "inputs" ? 2 : 3; i < parts.length; i++) {
      await this.page.getByTestId(`pill-toggle-${parts.slice(0, i).join(".")}`).click();
    }
    await this.page.getByTestId(`pill-${path}`).click();
    await expect(this.page.getByTestId(`pill-value-${field}`)).toContainText(path);
  }

  async saved(): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute("data-status", "saved", { timeout: 10_000 });
  }

  async edgeCount(): Promise<number> {
    return this.page.locator(".react-flow__edge").count();
  }
}
