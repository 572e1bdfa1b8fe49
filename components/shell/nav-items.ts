import type { PageArea } from "@/server/api/access";
import type { IconName } from "../ui/icons";

// The application's navigation as data: later capabilities add or extend entries here, and the
// shell shows each one to users whose roles open its area (server/api/access.ts).

export interface NavItem {
  href: string;
  label: string;
  icon: IconName;
  area: PageArea;
}

export interface NavSection {
  title: string;
  items: NavItem[];
}

export const navSections: NavSection[] = [
  {
    title: "Records",
    items: [
      { href: "/records/incident", label: "Incidents", icon: "incident", area: "records" },
      { href: "/records/sys_user_group", label: "Groups", icon: "group", area: "records" },
      { href: "/records/sys_user", label: "Users", icon: "user", area: "records" },
    ],
  },
  {
    title: "Process sync",
    items: [
      { href: "/flows", label: "Flows", icon: "flow", area: "flows" },
      { href: "/sync", label: "Sync configuration", icon: "sync", area: "sync" },
      { href: "/sync/initial-sync", label: "Initial sync", icon: "sync", area: "sync" },
      { href: "/queues", label: "Queues", icon: "queue", area: "queues" },
    ],
  },
  {
    title: "Overview",
    items: [{ href: "/dashboard", label: "Dashboard", icon: "dashboard", area: "dashboard" }],
  },
];
