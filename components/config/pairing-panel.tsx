"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";

/**
 * Pairing (SPEC 2, ours): create an invitation here and paste it on the other instance, which
 * then configures both sides and validates both directions in one step.
 */
export function PairingPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invite = useMutation(trpc.syncConfig.createInvitation.mutationOptions());
  const accept = useMutation(trpc.syncConfig.acceptInvitation.mutationOptions());
  const [token, setToken] = useState("");
  const [copied, setCopied] = useState(false);
  const outcome = accept.data;
  return (
    <section
      aria-label="Pair with another instance"
      data-testid="pairing"
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
    >
      <div className="flex flex-col gap-2">
        <h2 className="text-sm font-semibold text-slate-800">Invite another instance</h2>
        <p className="text-xs text-slate-500">
          A one-time invitation, valid for 24 hours. Paste it on the other instance.
        </p>
        <div>
          <Button onClick={() => invite.mutate()} disabled={invite.isPending} data-testid="pairing-invite">
            {invite.isPending ? "Creating…" : "Create invitation"}
          </Button>
        </div>
        {invite.error ? (
          <p role="alert" className="text-xs text-red-700">
            {problemOf(invite.error).message}
          </p>
        ) : null}
        {invite.data ? (
          <div className="flex flex-col gap-1">
            <label htmlFor="pairing-token-out" className="text-xs text-slate-600">
              Invitation (expires {new Date(invite.data.expiresAt).toLocaleString()})
            </label>
            <textarea
              id="pairing-token-out"
              readOnly
              rows={3}
              data-testid="pairing-token"
              className={`${inputClass} font-mono text-[11px]`}
              value={invite.data.token}
              onFocus={(e) => e.currentTarget.select()}
            />
            <div>
              <Button
                size="sm"
                onClick={() => {
                  void navigator.clipboard?.writeText(invite.data.token).then(() => setCopied(true));
                }}
              >
                {copied ? "Copied" : "Copy"}
              </Button>
            </div>
          </div>
        ) : null}
      </div>
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          accept.mutate(
            { token },
            { onSettled: () => void queryClient.invalidateQueries(trpc.syncConfig.pathFilter()) },
          );
        }}
      >
        <h2 className="text-sm font-semibold text-slate-800">Accept an invitation</h2>
        <label htmlFor="pairing-accept" className="text-xs text-slate-500">
          Paste the invitation created on the other instance.
        </label>
        <textarea
          id="pairing-accept"
          rows={3}
          className={`${inputClass} font-mono text-[11px]`}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="tandem-pair:…"
        />
        <div>
          <Button
            type="submit"
            variant="primary"
            disabled={!token.trim() || accept.isPending}
            data-testid="pairing-accept"
          >
            {accept.isPending ? "Pairing…" : "Pair"}
          </Button>
        </div>
        {accept.error ? (
          <p
            role="alert"
            data-testid="pairing-error"
            className="rounded bg-red-50 px-2 py-1 text-xs text-red-900"
          >
            {problemOf(accept.error).message}
            {problemOf(accept.error).detail ? ` — ${problemOf(accept.error).detail}` : ""}
          </p>
        ) : null}
        {outcome ? (
          <div
            role="status"
            data-testid="pairing-result"
            className="rounded border border-slate-200 px-2 py-1.5 text-xs"
          >
            <p data-ok={outcome.local.ok} data-testid="pairing-local">
              {outcome.local.ok ? "✓" : "✗"} This instance → peer: {outcome.local.message}
            </p>
            <p data-ok={outcome.peer.ok} data-testid="pairing-peer">
              {outcome.peer.ok ? "✓" : "✗"} Peer → this instance: {outcome.peer.message}
            </p>
            <Link className="text-brand-700 hover:underline" href={`/sync/remotes/${outcome.remoteId}`}>
              Open the new remote system
            </Link>
          </div>
        ) : null}
      </form>
    </section>
  );
}
