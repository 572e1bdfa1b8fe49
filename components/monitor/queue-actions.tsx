"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { toast } from "../ui/toast";

type Queue = "outbound" | "inbound";
type Action = "reprocess" | "skip";

const copy: Record<Action, { label: string; explain: string }> = {
  reprocess: {
    label: "Reprocess",
    explain:
      "Rows in error or skipped go back to ready with their attempts reset, and run the latest published version of their flow. Their history is kept.",
  },
  skip: {
    label: "Skip",
    explain:
      "Ready or failed rows become skipped and are not sent or applied; later rows of their lanes go on.",
  },
};

/** Reprocess and Skip buttons for one row or a selection, each behind a confirmation. */
export function QueueActions({
  queue,
  ids,
  size = "sm",
  onDone,
  testPrefix = "action",
}: {
  queue: Queue;
  ids: number[];
  size?: "sm" | "md";
  onDone?: () => void;
  testPrefix?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Action | null>(null);
  const reprocess = useMutation(trpc.queues.reprocess.mutationOptions());
  const skip = useMutation(trpc.queues.skip.mutationOptions());
  const busy = reprocess.isPending || skip.isPending;
  const what = ids.length === 1 ? `row ${ids[0]}` : `${ids.length} rows`;

  const run = async (action: Action) => {
    try {
      const result =
        action === "reprocess"
          ? await reprocess.mutateAsync({ queue, ids })
          : await skip.mutateAsync({ queue, ids });
      const unchanged = result.unchanged.length;
      toast(
        unchanged > 0 && result.changed.length === 0 ? "error" : "success",
        `${copy[action].label}: ${result.changed.length} changed${unchanged ? `, ${unchanged} left as they were (${result.unchanged[0]?.reason})` : ""}`,
      );
      await queryClient.invalidateQueries(trpc.queues.pathFilter());
      onDone?.();
    } catch (error) {
      toast("error", `${copy[action].label} failed: ${problemOf(error).message}`);
    } finally {
      setAsking(null);
    }
  };

  return (
    <>
      <Button
        size={size}
        onClick={() => setAsking("reprocess")}
        disabled={busy || ids.length === 0}
        data-testid={`${testPrefix}-reprocess`}
      >
        Reprocess{ids.length > 1 ? ` ${ids.length}` : ""}
      </Button>
      <Button
        size={size}
        variant="danger"
        onClick={() => setAsking("skip")}
        disabled={busy || ids.length === 0}
        data-testid={`${testPrefix}-skip`}
      >
        Skip{ids.length > 1 ? ` ${ids.length}` : ""}
      </Button>
      <ConfirmDialog
        open={asking !== null}
        title={asking ? `${copy[asking].label} ${what}?` : ""}
        confirmLabel={asking ? copy[asking].label : ""}
        busy={busy}
        onConfirm={() => asking && void run(asking)}
        onCancel={() => setAsking(null)}
      >
        {asking ? copy[asking].explain : null}
      </ConfirmDialog>
    </>
  );
}
