import { get, type Plan, run, sql } from "../storage";
import type { SecretBox } from "../sync/secrets";

// Settings an instance keeps about itself (instance_setting), shared by all of its processes:
// its id, and a check value of its secret key. Both are written once, by whichever process gets
// there first (processes may start together), and read back.

const Q = {
  read: sql<{ value: string }>("SELECT value FROM instance_setting WHERE key = ?"),
  insert: sql({
    sqlite: "INSERT OR IGNORE INTO instance_setting (key, value, updated_at) VALUES (?, ?, ?)",
    postgres:
      "INSERT INTO instance_setting (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
  }),
};

/** The stored value of `key`, storing `initial` first when there is none. */
function* settingOnce(key: string, initial: string): Plan<string> {
  yield* run(Q.insert, key, initial, Date.now());
  const row = yield* get(Q.read, key);
  if (!row) throw new Error(`instance_setting ${key} was not stored`);
  return row.value;
}

/** The instance's id (sys_id style), created with its database. */
export function instanceIdPlan(newId: string): Plan<string> {
  return settingOnce("instance.id", newId);
}

/**
 * Refuses a secret key other than the one the instance's secrets were sealed with: a process
 * started with another key would fail later on every remote's credentials, so it says so at start.
 */
export function* checkSecretKeyPlan(secrets: SecretBox, keyHint: string): Plan<void> {
  const mine = secrets.checkValue();
  const stored = yield* settingOnce("secret.check", mine);
  if (stored !== mine) {
    throw new Error(
      `The secret key (${keyHint}) is not the key this instance's secrets were sealed with. Every process of an ` +
        "instance needs the same TANDEM_SECRET_KEY: give this process the key the others use (or restore the " +
        "instance's secret.key file).",
    );
  }
}
