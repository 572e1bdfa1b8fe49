"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useCallback } from "react";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { toast } from "../ui/toast";

export type Overview = inferRouterOutputs<AppRouter>["syncConfig"]["overview"];
export type Choices = inferRouterOutputs<AppRouter>["syncConfig"]["choices"];
export type Remote = Overview["remotes"][number];
export type Capture = Overview["captures"][number];
export type Binding = Overview["bindings"][number];

/** The whole sync configuration and what its forms pick from (small: a handful of records). */
export function useConfig() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.syncConfig.overview.queryOptions());
  const choices = useQuery(trpc.syncConfig.choices.queryOptions());
  return { overview, choices };
}

/** Runs a config mutation, refreshes the configuration and says how it went. */
export function useSaver() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
      try {
        const result = await run();
        await queryClient.invalidateQueries(trpc.syncConfig.pathFilter());
        toast("success", `${what} saved`);
        return result;
      } catch (error) {
        const p = problemOf(error);
        toast("error", `${what} not saved: ${p.message}${p.detail ? ` (${p.detail})` : ""}`);
        return null;
      }
    },
    [queryClient, trpc],
  );
}
