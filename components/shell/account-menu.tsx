"use client";

import { useRef } from "react";
import { focusRing } from "../ui/button";
import { icons } from "../ui/icons";
import { Menu, MenuItem, MenuLabel, MenuSeparator } from "../ui/menu";

/**
 * The signed-in user and Sign out, as a menu button. Signing out stays a plain form POST (it
 * works before hydration too); the menu item submits that form itself, because a submit button
 * inside the menu is unmounted as the menu closes, before the browser would submit.
 */
export function AccountMenu({ user }: { user: { name: string; userName: string; roles: string[] } }) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <>
      <form ref={form} action="/logout" method="post" hidden />
      <Menu
        testId="user-menu-content"
        trigger={
          <button
            type="button"
            data-testid="user-menu"
            className={`flex items-center gap-2 rounded px-2 py-1 text-right leading-tight hover:bg-slate-800 ${focusRing}`}
          >
            <span data-testid="signed-in-user">
              <span className="block text-sm font-medium">{user.name}</span>
              <span className="block text-[11px] text-slate-300">
                {user.userName} · {user.roles.join(", ") || "no roles"}
              </span>
            </span>
            {icons.sortDown()}
          </button>
        }
      >
        <MenuLabel>Signed in as {user.userName}</MenuLabel>
        <MenuSeparator />
        <MenuItem testId="logout" onSelect={() => form.current?.requestSubmit()}>
          {icons.logout()}
          Sign out
        </MenuItem>
      </Menu>
    </>
  );
}
