"use client";

import "./zod-jitless";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { type ReactNode, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { TRPCProvider } from "./trpc/client";
import { Toaster } from "./ui/toast";
import { TipProvider } from "./ui/tooltip";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not fix itself by asking again; a dropped connection might.
        retry: (count, error) => {
          const status = error instanceof TRPCClientError ? error.data?.httpStatus : undefined;
          return count < 2 && (status === undefined || status >= 500);
        },
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <TipProvider>
          {children}
          <Toaster />
        </TipProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
