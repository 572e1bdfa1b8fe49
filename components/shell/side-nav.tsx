"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "../ui/button";
import { icons } from "../ui/icons";
import type { NavSection } from "./nav-items";

/** The left navigation; highlights the section the current page belongs to. */
export function SideNav({ sections }: { sections: NavSection[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-5 px-3 py-4">
      {sections.map((section) => (
        <div key={section.title}>
          <h2 className="px-2 pb-1.5 text-[11px] font-semibold tracking-wider text-slate-500 uppercase">
            {section.title}
          </h2>
          <ul className="flex flex-col gap-0.5">
            {section.items.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    data-testid={`nav-${item.href.slice(1).replaceAll("/", "-")}`}
                    className={`flex items-center gap-2.5 rounded px-2 py-1.5 text-sm ${focusRing} ${
                      active
                        ? "bg-brand-50 font-medium text-brand-900"
                        : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
                    }`}
                  >
                    <span className={active ? "text-brand-700" : "text-slate-500"}>{icons[item.icon]()}</span>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
