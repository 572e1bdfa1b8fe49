/** Who created and last changed the record, and its sys_id, in one quiet line. */
export function RecordInfo({ values }: { values: Record<string, string> }) {
  return (
    <dl className="flex flex-wrap gap-x-6 gap-y-1 px-1 text-xs text-slate-500" data-testid="record-info">
      <div className="flex gap-1">
        <dt>Created</dt>
        <dd className="text-slate-700">
          {values.sys_created_on} by {values.sys_created_by}
        </dd>
      </div>
      <div className="flex gap-1">
        <dt>Updated</dt>
        <dd className="text-slate-700">
          {values.sys_updated_on} by {values.sys_updated_by} ({values.sys_mod_count}{" "}
          {values.sys_mod_count === "1" ? "update" : "updates"})
        </dd>
      </div>
      <div className="flex gap-1">
        <dt>Sys ID</dt>
        <dd className="font-mono text-slate-700 select-all">{values.sys_id}</dd>
      </div>
    </dl>
  );
}
