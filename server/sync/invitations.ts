import { createHash, timingSafeEqual } from "node:crypto";
import { get, type Plan, run, type Storage, sql } from "../storage";
import { RecordError } from "../util/errors";

// Pairing invitations (server/sync/pairing.ts) as stored: one instance_setting row per
// invitation, holding only a hash of its secret. Nothing is cached in the process, so every
// process of an instance sees the same invitations.

const settingPrefix = "pairing.invitation.";

export interface StoredInvitation {
  hash: string;
  expiresAt: number;
  createdBy: string;
  runAsUserId: string | null;
  state: "open" | "accepted" | "confirmed";
  remoteId?: string;
}

export const hashOfSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

const Q = {
  load: sql<{ value: string }>("SELECT value FROM instance_setting WHERE key = ?"),
  save: sql(
    `INSERT INTO instance_setting (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ),
  // compare-and-set on the whole stored value: of two claims racing (in two processes on
  // PostgreSQL), the second changes nothing
  claim: sql("UPDATE instance_setting SET value = ?, updated_at = ? WHERE key = ? AND value = ?"),
};

const alreadyUsed = () =>
  new RecordError(409, "Invitation already used", "Each invitation pairs one instance, once");

export const invitationPlans = {
  *load(invitation: string): Plan<StoredInvitation | null> {
    const row = yield* get(Q.load, settingPrefix + invitation);
    return row ? (JSON.parse(row.value) as StoredInvitation) : null;
  },

  *save(invitation: string, value: StoredInvitation, now: number): Plan<void> {
    yield* run(Q.save, settingPrefix + invitation, JSON.stringify(value), now);
  },

  /**
   * Checks secret, expiry and step, and moves to the next step in the same transaction, so two
   * requests racing with one token cannot both pass (one-time use). Returns the invitation as it
   * was before the move.
   */
  *claim(
    invitation: string,
    secret: string,
    expected: StoredInvitation["state"],
    next: StoredInvitation["state"],
    now: number,
  ): Plan<StoredInvitation> {
    const row = yield* get(Q.load, settingPrefix + invitation);
    const stored = row ? (JSON.parse(row.value) as StoredInvitation) : null;
    const given = Buffer.from(hashOfSecret(secret));
    if (!row || !stored || !timingSafeEqual(Buffer.from(stored.hash), given))
      throw new RecordError(
        401,
        "Unknown invitation",
        "The token does not match an invitation of this instance",
      );
    if (stored.expiresAt < now) throw new RecordError(401, "Invitation expired", "Ask for a new one");
    if (stored.state !== expected) throw alreadyUsed();
    const moved = yield* run(
      Q.claim,
      JSON.stringify({ ...stored, state: next }),
      Date.now(),
      settingPrefix + invitation,
      row.value,
    );
    if (moved.changes !== 1) throw alreadyUsed();
    return stored;
  },
};

/** The invitations of this instance (both dialects). */
export class InvitationStore {
  constructor(private readonly storage: Storage) {}

  load(invitation: string): Promise<StoredInvitation | null> {
    return this.storage.read(invitationPlans.load(invitation));
  }

  save(invitation: string, value: StoredInvitation): Promise<void> {
    return this.storage.write(() => invitationPlans.save(invitation, value, Date.now()));
  }

  claim(
    invitation: string,
    secret: string,
    expected: StoredInvitation["state"],
    next: StoredInvitation["state"],
    now: number,
  ): Promise<StoredInvitation> {
    return this.storage.write(() => invitationPlans.claim(invitation, secret, expected, next, now));
  }
}
