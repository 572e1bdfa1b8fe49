import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

export interface ProblemInfo {
  message: string;
  /** The record field the server blamed, when it named one. */
  field: string | null;
  detail: string | null;
  code: string | null;
}

/** What went wrong, in words for the user, from whatever a query or mutation threw. */
export function problemOf(error: unknown): ProblemInfo {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data;
    return {
      message: error.message,
      field: data?.field ?? null,
      detail: data?.detail ?? null,
      code: data?.code ?? null,
    };
  }
  if (error instanceof Error) return { message: error.message, field: null, detail: null, code: null };
  return { message: "Something went wrong", field: null, detail: null, code: null };
}
