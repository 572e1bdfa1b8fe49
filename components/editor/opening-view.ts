// Where the canvas opens (issue 15 part 0): the whole flow when it fits with readable labels,
// otherwise a readable zoom with the trigger (Flow Inputs) at the left, vertically centred, so
// the main path reads on to the right. Pure, so it is unit-tested without a browser.

/** Node labels are 13 px: below this zoom they render under 12 px on screen. */
export const READABLE_ZOOM = 12 / 13;
/** The zoom a flow opens at when it does not fit readably. */
export const OPEN_ZOOM = 1;
const MAX_FIT_ZOOM = 1.1;
const PADDING = 0.1;
const LEFT_MARGIN = 48;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export function boundsOf(rects: readonly Rect[]): Rect {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  for (const r of rects) {
    x1 = Math.min(x1, r.x);
    y1 = Math.min(y1, r.y);
    x2 = Math.max(x2, r.x + r.width);
    y2 = Math.max(y2, r.y + r.height);
  }
  return rects.length
    ? { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }
    : { x: 0, y: 0, width: 0, height: 0 };
}

/** The viewport to open on: `nodes` in flow coordinates, `screen` the canvas size in px. */
export function openingViewport(
  nodes: readonly Rect[],
  trigger: Rect | undefined,
  screen: { width: number; height: number },
): Viewport & { fitted: boolean } {
  const b = boundsOf(nodes);
  const fitZoom = Math.min(
    MAX_FIT_ZOOM,
    (screen.width * (1 - 2 * PADDING)) / Math.max(b.width, 1),
    (screen.height * (1 - 2 * PADDING)) / Math.max(b.height, 1),
  );
  if (fitZoom >= READABLE_ZOOM || !trigger) {
    const zoom = Math.max(fitZoom, trigger ? READABLE_ZOOM : fitZoom);
    return {
      x: screen.width / 2 - (b.x + b.width / 2) * zoom,
      y: screen.height / 2 - (b.y + b.height / 2) * zoom,
      zoom,
      fitted: true,
    };
  }
  const zoom = OPEN_ZOOM;
  return {
    x: LEFT_MARGIN - trigger.x * zoom,
    y: screen.height / 2 - (trigger.y + trigger.height / 2) * zoom,
    zoom,
    fitted: false,
  };
}
