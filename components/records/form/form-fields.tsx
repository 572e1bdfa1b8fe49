"use client";

import type { TableViewOutput } from "@/server/api/routers/records.types";
import { Field } from "../../ui/field";
import { FieldInput } from "./field-input";
import type { useRecordForm } from "./use-record-form";

/** The record's fields by the table's form layout, two columns; long text spans both. */
export function FormFields({
  view,
  form,
  isNew,
  disabled,
}: {
  view: TableViewOutput;
  form: ReturnType<typeof useRecordForm>;
  isNew: boolean;
  disabled: boolean;
}) {
  const byName = new Map(view.fields.map((f) => [f.name, f]));
  return (
    <div className="flex flex-col gap-6">
      {view.form.map((section) => (
        <fieldset key={section.title ?? "main"} className="min-w-0">
          {section.title ? (
            <legend className="mb-3 w-full border-b border-slate-100 pb-1.5 text-xs font-semibold tracking-wider text-slate-500 uppercase">
              {section.title}
            </legend>
          ) : null}
          <div className="grid grid-cols-1 gap-x-6 gap-y-4 md:grid-cols-2">
            {section.fields.map((name) => {
              const field = byName.get(name);
              if (!field) return null;
              const wide = field.type === "text" || (field.maxLength ?? 0) >= 160;
              const readOnly = field.readOnly === true;
              return (
                <div key={field.name} className={wide ? "md:col-span-2" : undefined}>
                  <Field
                    id={field.name}
                    label={field.label}
                    mandatory={field.mandatory && !readOnly}
                    error={form.errors[field.name]}
                    hint={view.fieldHints[field.name] ?? (field.type === "datetime" ? "UTC" : undefined)}
                  >
                    <FieldInput
                      field={field}
                      value={form.valueFor(field.name)}
                      display={form.displayFor(field.name)}
                      onChange={(value, display) => form.set(field.name, value, display)}
                      disabled={disabled || readOnly}
                      invalid={Boolean(form.errors[field.name])}
                      placeholder={readOnly && isNew ? "Set when saved" : undefined}
                    />
                  </Field>
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
