import type { ReactNode } from "react";
import { focusRing } from "./button";

/**
 * Preformatted JSON or text in a scrolling box. The box takes keyboard focus (with a name), so
 * someone without a mouse can scroll what does not fit.
 */
export function CodeBlock({
  label,
  className = "",
  testId,
  children,
}: {
  label: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
      tabIndex={0}
      aria-label={label}
      data-testid={testId}
      className={`overflow-auto bg-slate-900 text-slate-100 ${focusRing} ${className}`}
    >
      <pre>{children}</pre>
    </section>
  );
}
