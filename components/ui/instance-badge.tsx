// Users run two instances side by side; each instance name gets its own colour so a glance
// tells which one a tab belongs to.
const palettes = [
  "bg-teal-100 text-teal-900 ring-teal-300",
  "bg-violet-100 text-violet-900 ring-violet-300",
  "bg-amber-100 text-amber-900 ring-amber-300",
  "bg-sky-100 text-sky-900 ring-sky-300",
  "bg-rose-100 text-rose-900 ring-rose-300",
];

function paletteOf(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const known: Record<string, number> = { alpha: 0, beta: 1 };
  return palettes[known[name] ?? hash % palettes.length] ?? palettes[0] ?? "";
}

export function InstanceBadge({ name, size = "md" }: { name: string; size?: "md" | "lg" }) {
  const text = size === "lg" ? "px-2.5 py-1 text-sm" : "px-2 py-0.5 text-xs";
  return (
    <span
      data-testid="instance-badge"
      title={`Instance ${name}`}
      className={`inline-flex items-center gap-1 rounded-full font-semibold uppercase tracking-wide ring-1 ring-inset ${text} ${paletteOf(name)}`}
    >
      <span className="sr-only">Instance </span>
      {name}
    </span>
  );
}
