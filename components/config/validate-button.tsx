"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";

const checkNames: Record<string, string> = {
  reachable: "1. Reachable",
  credentials: "2. Credentials",
  ids: "3. Remote system ids",
  signature: "4. Signatures",
};

/** Validate and Activate (SPEC 2): the result names the check that failed. */
export function ValidateButton({ remoteId }: { remoteId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const validate = useMutation(trpc.syncConfig.validateAndActivate.mutationOptions());
  const [result, setResult] = useState<{
    ok: boolean;
    check?: string;
    message: string;
    requeued?: number;
  } | null>(null);
  const run = async () => {
    try {
      setResult(await validate.mutateAsync({ id: remoteId }));
    } catch (error) {
      setResult({ ok: false, message: problemOf(error).message });
    }
    await queryClient.invalidateQueries(trpc.syncConfig.pathFilter());
    await queryClient.invalidateQueries(trpc.dashboard.pathFilter());
  };
  return (
    <div className="flex flex-col items-end gap-1.5">
      <Button
        variant="primary"
        onClick={() => void run()}
        disabled={validate.isPending}
        data-testid="validate-activate"
      >
        {validate.isPending ? "Validating…" : "Validate and Activate"}
      </Button>
      {result ? (
        <p
          role="status"
          data-testid="validate-result"
          data-ok={result.ok}
          className={`max-w-md rounded px-2 py-1 text-xs ${result.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900"}`}
        >
          {result.ok
            ? "Active: all four checks passed."
            : `Failed check ${result.check ? (checkNames[result.check] ?? result.check) : ""}: `}
          {result.ok ? (result.requeued ? ` ${result.requeued} rows queued again.` : "") : result.message}
        </p>
      ) : null}
    </div>
  );
}
