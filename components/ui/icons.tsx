import type { ReactNode } from "react";

// Line icons (24×24, stroke). Decorative next to text, so hidden from screen readers.
function Icon({ children, className = "size-4" }: { children: ReactNode; className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className}
    >
      {children}
    </svg>
  );
}

export const icons = {
  incident: (c?: string) => (
    <Icon className={c}>
      <path d="M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" />
    </Icon>
  ),
  group: (c?: string) => (
    <Icon className={c}>
      <path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM23 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8" />
    </Icon>
  ),
  user: (c?: string) => (
    <Icon className={c}>
      <path d="M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z" />
    </Icon>
  ),
  flow: (c?: string) => (
    <Icon className={c}>
      <path d="M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM18 9a9 9 0 0 1-9 9" />
    </Icon>
  ),
  sync: (c?: string) => (
    <Icon className={c}>
      <path d="M21 12a9 9 0 0 0-15-6.7L3 8M3 3v5h5M3 12a9 9 0 0 0 15 6.7l3-2.7M21 21v-5h-5" />
    </Icon>
  ),
  queue: (c?: string) => (
    <Icon className={c}>
      <path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01" />
    </Icon>
  ),
  dashboard: (c?: string) => (
    <Icon className={c}>
      <path d="M3 3h7v9H3zM14 3h7v5h-7zM14 12h7v9h-7zM3 16h7v5H3z" />
    </Icon>
  ),
  paperclip: (c?: string) => (
    <Icon className={c}>
      <path d="m21.4 11.1-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
    </Icon>
  ),
  search: (c?: string) => (
    <Icon className={c}>
      <path d="M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM21 21l-4.3-4.3" />
    </Icon>
  ),
  sortUp: (c?: string) => (
    <Icon className={c}>
      <path d="m18 15-6-6-6 6" />
    </Icon>
  ),
  sortDown: (c?: string) => (
    <Icon className={c}>
      <path d="m6 9 6 6 6-6" />
    </Icon>
  ),
  back: (c?: string) => (
    <Icon className={c}>
      <path d="m15 18-6-6 6-6" />
    </Icon>
  ),
  logout: (c?: string) => (
    <Icon className={c}>
      <path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9" />
    </Icon>
  ),
} as const;

export type IconName = keyof typeof icons;
