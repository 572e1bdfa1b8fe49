"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useTRPC } from "../trpc/client";
import { inputClass } from "../ui/field";
import { useDebounced } from "../ui/use-debounced";

export interface ReferencePickerProps {
  id: string;
  /** The referenced table. */
  table: string;
  /** Selected sys_id, or "". */
  value: string;
  /** Display value of the selection, when known. */
  display: string;
  onChange: (sysId: string, display: string) => void;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
}

/**
 * A searchable picker for a reference field (an ARIA combobox): type to search the referenced
 * table by its display field and lookup fields, pick with the mouse or arrows and Enter.
 * Free text is never kept: leaving the field restores the selection (or clears it if emptied).
 */
export function ReferencePicker(props: ReferencePickerProps) {
  const { id, table, value, display, onChange, disabled, invalid, describedBy, placeholder } = props;
  const trpc = useTRPC();
  const listId = useId();
  const [text, setText] = useState(display);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  // A stored value whose display is unknown (e.g. a filter from the URL): look it up once.
  const known = useQuery(
    trpc.records.referenceSearch.queryOptions(
      { table, text: "", limit: 1, sysId: value || undefined },
      { enabled: value !== "" && display === "", staleTime: 60_000 },
    ),
  );
  const shown = display || known.data?.[0]?.display || "";
  useEffect(() => {
    if (!open) setText(shown);
  }, [shown, open]);

  const searchText = useDebounced(text === shown ? "" : text, 200);
  const results = useQuery(
    trpc.records.referenceSearch.queryOptions({ table, text: searchText, limit: 8 }, { enabled: open }),
  );
  const options = results.data ?? [];

  const choose = (option: { sysId: string; display: string } | undefined) => {
    if (option) onChange(option.sysId, option.display);
    setOpen(false);
    if (option) setText(option.display);
  };
  const leave = () => {
    setOpen(false);
    if (text.trim() === "" && value !== "") onChange("", "");
    else setText(shown);
  };

  return (
    <div className="relative">
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        autoComplete="off"
        disabled={disabled}
        placeholder={placeholder ?? "Search…"}
        value={text}
        className={`${inputClass} pr-7`}
        onFocus={() => setOpen(true)}
        onBlur={leave}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter" && open) {
            e.preventDefault();
            choose(options[active]);
          } else if (e.key === "Escape" && open) {
            e.preventDefault();
            setOpen(false);
            setText(shown);
          }
        }}
      />
      <span
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 text-slate-500"
      >
        ⌄
      </span>
      {open ? (
        <div
          id={listId}
          role="listbox"
          data-testid={`reference-options-${id}`}
          className="absolute z-20 mt-1 max-h-64 w-full overflow-y-auto rounded border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {results.isPending ? <div className="px-3 py-1.5 text-slate-500">Searching…</div> : null}
          {!results.isPending && options.length === 0 ? (
            <div className="px-3 py-1.5 text-slate-500">No match for “{text}”</div>
          ) : null}
          {options.map((option, i) => (
            <div
              key={option.sysId}
              tabIndex={-1}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              data-testid="reference-option"
              // mousedown, not click: it lands before the input's blur would close the list
              onMouseDown={(e) => {
                e.preventDefault();
                choose(option);
              }}
              onMouseEnter={() => setActive(i)}
              className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5 ${
                i === active ? "bg-brand-50 text-brand-900" : "text-slate-800"
              }`}
            >
              <span className="truncate">{option.display || "(no name)"}</span>
              {option.detail ? (
                <span className="truncate text-xs text-slate-500">{option.detail}</span>
              ) : null}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
