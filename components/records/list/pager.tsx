import { Button } from "../../ui/button";
import { pageSize, rangeLabel } from "./list-state";

export function Pager({
  page,
  total,
  onPage,
  busy,
}: {
  page: number;
  total: number;
  onPage: (page: number) => void;
  busy: boolean;
}) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label="Pages" className="flex items-center gap-2 text-sm text-slate-600">
      <span data-testid="list-range" className="tabular-nums">
        {rangeLabel(page, total)}
      </span>
      <Button size="sm" onClick={() => onPage(page - 1)} disabled={busy || page <= 1} data-testid="page-prev">
        Previous
      </Button>
      <Button
        size="sm"
        onClick={() => onPage(page + 1)}
        disabled={busy || page >= last}
        data-testid="page-next"
      >
        Next
      </Button>
    </nav>
  );
}
