import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { UserDirectory } from "../auth/users";
import type { OutboundGuard } from "../net/url-guard";
import type { Actor } from "../records/types";
import type { Storage } from "../storage";
import { RecordError } from "../util/errors";
import type { SyncConfig } from "./config-store";
import { hashOfSecret, InvitationStore } from "./invitations";
import { newSigningSecret } from "./secrets";

// Pairing (SPEC 2, ours): one invitation replaces the ~40 manual steps of linking two instances.
//
//   A (inviter)                                B (accepter)
//   createInvitation ── token (url, ids, secret) ──▶ accept(token)
//                                                   creates user sync.<A>, remote R_B for A
//   POST /api/sync/v1/pair ◀── secret, B's url, user sync.<A> + password, signing secret, R_B
//   creates user sync.<B>, remote R_A for B (external id R_B)
//                          ── R_A, user sync.<B> + password ──▶ fills R_B's external id
//                                                   validateAndActivate(R_B)
//   POST /api/sync/v1/pair/confirm ◀── secret
//   validateAndActivate(R_A) ── outcome ──▶ both directions reported to the admin
//
// The token is one-time: the invitation row keeps only a hash of the secret and an expiry, and
// is marked used in the same transaction that checks it (server/sync/invitations.ts). The confirm step is allowed once, after
// the accept step, with the same secret.

export const invitationTtlMs = 24 * 3_600_000;

const tokenSchema = z.object({
  v: z.literal(1),
  url: z.string().url(),
  instance: z.string().min(1),
  instanceId: z.string().min(1),
  invitation: z.string().min(1),
  secret: z.string().min(16),
  expiresAt: z.number(),
});
export type InvitationToken = z.infer<typeof tokenSchema>;

export const pairRequestSchema = z.object({
  invitation: z.string().min(1),
  secret: z.string().min(16),
  peer: z.object({
    url: z.string().url(),
    instance: z.string().min(1),
    remoteId: z.string().min(1),
    /** The user the inviter logs in as on the accepter, and its password. */
    user: z.string().min(1),
    password: z.string().min(16),
    signingSecret: z.string().startsWith("whsec_"),
  }),
});
export type PairRequest = z.infer<typeof pairRequestSchema>;

export const pairAnswerSchema = z.object({
  remoteId: z.string(),
  user: z.string(),
  password: z.string(),
});
export const confirmRequestSchema = z.object({ invitation: z.string(), secret: z.string() });

export interface PairingDeps {
  storage: Storage;
  config: SyncConfig;
  users: UserDirectory;
  self: { instance: string; instanceId: string; publicUrl: string };
  validateAndActivate: (remoteId: string) => Promise<{ ok: boolean; check?: string; message: string }>;
  fetch?: typeof fetch;
  /** Checks the peer URL of an invitation or a pairing request before anything is stored. */
  guard?: OutboundGuard;
}

export interface PairingOutcome {
  remoteId: string;
  local: { ok: boolean; check?: string; message: string };
  peer: { ok: boolean; check?: string; message: string };
}

const password = () => randomBytes(24).toString("base64url");
const system: Actor = { userName: "system", origin: "system" };

export class Pairing {
  private readonly invitations: InvitationStore;

  constructor(private readonly deps: PairingDeps) {
    this.invitations = new InvitationStore(deps.storage);
  }

  // ---- A: the inviter ------------------------------------------------------------------

  async createInvitation(
    user: { userName: string; sysId: string },
    now = Date.now(),
  ): Promise<{ token: string; expiresAt: number }> {
    const invitation = randomBytes(9).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    const expiresAt = now + invitationTtlMs;
    await this.invitations.save(invitation, {
      hash: hashOfSecret(secret),
      expiresAt,
      createdBy: user.userName,
      runAsUserId: user.sysId,
      state: "open",
    });
    const token: InvitationToken = {
      v: 1,
      url: this.deps.self.publicUrl,
      instance: this.deps.self.instance,
      instanceId: this.deps.self.instanceId,
      invitation,
      secret,
      expiresAt,
    };
    return { token: `tandem-pair:${Buffer.from(JSON.stringify(token)).toString("base64url")}`, expiresAt };
  }

  /** The inviter's half of accept: creates its user and remote system for the accepter. */
  async acceptAsInviter(request: PairRequest, now = Date.now()): Promise<z.infer<typeof pairAnswerSchema>> {
    const { peer } = request;
    await this.checkPeerUrl(peer.url);
    const stored = await this.invitations.claim(request.invitation, request.secret, "open", "accepted", now);
    const userName = `sync.${peer.instance}`;
    const secret = password();
    const userId = await this.ensureApiUser(userName, `Sync from ${peer.instance}`, secret);
    const remote = await this.deps.config.createRemote({
      name: await this.uniqueRemoteName(peer.instance),
      description: `Paired by invitation (${stored.createdBy})`,
      externalId: peer.remoteId,
      baseUrl: peer.url,
      outboundUser: peer.user,
      outboundSecret: peer.password,
      signingSecret: peer.signingSecret,
      inboundApiUserId: userId,
      runAsUserId: stored.runAsUserId,
    });
    await this.invitations.save(request.invitation, { ...stored, state: "accepted", remoteId: remote.id });
    return { remoteId: remote.id, user: userName, password: secret };
  }

  /** The inviter validates its side once the accepter has filled in its external id. */
  async confirmAsInviter(invitation: string, secret: string, now = Date.now()) {
    const stored = await this.invitations.claim(invitation, secret, "accepted", "confirmed", now);
    return this.deps.validateAndActivate(stored.remoteId ?? "");
  }

  private async checkPeerUrl(url: string): Promise<void> {
    if (!this.deps.guard) return;
    const check = await this.deps.guard.checkUrl(url);
    if (!check.ok) throw new RecordError(400, "The other instance's URL is refused", check.message);
  }

  // ---- B: the accepter ------------------------------------------------------------------

  async accept(rawToken: string, user: { sysId: string }): Promise<PairingOutcome> {
    const token = parseToken(rawToken);
    if (token.expiresAt < Date.now()) throw new RecordError(400, "Invitation expired", "Ask for a new one");
    if (token.instanceId === this.deps.self.instanceId)
      throw new RecordError(400, "This invitation is from this instance", "Paste it on the other instance");
    await this.checkPeerUrl(token.url);
    const post = this.deps.fetch ?? fetch;
    const userName = `sync.${token.instance}`;
    const secretForPeer = password();
    const signingSecret = newSigningSecret();
    const remote = await this.deps.config.createRemote({
      name: await this.uniqueRemoteName(token.instance),
      description: `Paired by invitation from ${token.url}`,
      baseUrl: token.url,
      signingSecret,
      runAsUserId: user.sysId,
    });
    const body: PairRequest = {
      invitation: token.invitation,
      secret: token.secret,
      peer: {
        url: this.deps.self.publicUrl,
        instance: this.deps.self.instance,
        remoteId: remote.id,
        user: userName,
        password: secretForPeer,
        signingSecret,
      },
    };
    let answer: z.infer<typeof pairAnswerSchema>;
    try {
      answer = pairAnswerSchema.parse(await postJson(post, `${token.url}/api/sync/v1/pair`, body));
    } catch (error) {
      // Nothing half-done stays behind: the peer refused, so our remote goes too.
      await this.deps.config.deleteRemote(remote.id);
      throw error;
    }
    // Only now that the inviter accepted: a refused (used, expired) token must not touch our users.
    const userId = await this.ensureApiUser(userName, `Sync from ${token.instance}`, secretForPeer);
    await this.deps.config.updateRemote(remote.id, {
      inboundApiUserId: userId,
      externalId: answer.remoteId,
      outboundUser: answer.user,
      outboundSecret: answer.password,
    });
    const local = await this.deps.validateAndActivate(remote.id);
    const peer = await postJson(post, `${token.url}/api/sync/v1/pair/confirm`, {
      invitation: token.invitation,
      secret: token.secret,
    })
      .then((json) =>
        z.object({ ok: z.boolean(), check: z.string().optional(), message: z.string() }).parse(json),
      )
      .catch((error: unknown) => ({
        ok: false,
        check: "reachable",
        message: error instanceof Error ? error.message : String(error),
      }));
    return { remoteId: remote.id, local, peer };
  }

  // ---- shared ------------------------------------------------------------------------------

  private async ensureApiUser(userName: string, name: string, secret: string): Promise<string> {
    const existing = await this.deps.users.findByName(userName);
    if (existing?.sys_id) {
      // Only an existing sync_api account is reused: never reset the password of a person.
      if (!/\bsync_api\b/.test(existing.roles ?? ""))
        throw new RecordError(
          409,
          `User ${userName} exists and is not a sync_api user`,
          "Rename it, then pair again",
        );
      await this.deps.users.setPassword(existing.sys_id, secret);
      return existing.sys_id;
    }
    const created = await this.deps.users.create(
      { user_name: userName, name, roles: "sync_api", password: secret },
      system,
    );
    return created.sys_id ?? "";
  }

  private async uniqueRemoteName(base: string): Promise<string> {
    const taken = new Set((await this.deps.config.listRemotes()).map((r) => r.name));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
  }
}

export function parseToken(raw: string): InvitationToken {
  const trimmed = raw.trim().replace(/^tandem-pair:/, "");
  try {
    return tokenSchema.parse(JSON.parse(Buffer.from(trimmed, "base64url").toString("utf8")));
  } catch {
    throw new RecordError(
      400,
      "Not a pairing invitation",
      "Paste the whole token, starting with tandem-pair:",
    );
  }
}

async function postJson(post: typeof fetch, url: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await post(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new RecordError(
      400,
      "The other instance is not reachable",
      `${url}: ${error instanceof Error ? error.message : error}`,
    );
  }
  const json = (await res.json().catch(() => null)) as {
    result?: unknown;
    error?: { message?: string; detail?: string };
  } | null;
  if (!res.ok) {
    throw new RecordError(
      400,
      `The other instance refused: ${json?.error?.message ?? res.status}`,
      json?.error?.detail ?? "",
    );
  }
  return json?.result;
}
