import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { basic, freePort, type RunningInstance, startInstance, tempDataDir } from "../support/instances";
import type { Rng } from "./prng";
import { type FaultProxy, startProxy } from "./proxy";

// The instances of one trial: real instance processes (scripts/server.mjs) paired by the demo seed, with a
// fault proxy in front of every remote a sender talks to (alpha → beta, alpha → gamma).
//
//   alpha ──▶ proxy ──▶ beta          (beta answers alpha directly: faults are on alpha's sends)
//        └──▶ proxy ──▶ gamma         (three-instance topology only)
//
// Storage sits behind `Storage`, so a PostgreSQL backend (`--db postgres`, a later issue) only
// has to supply the instance's env and a read-only query; trials and the checker never open a
// database file themselves.

export type NodeName = "alpha" | "beta" | "gamma";

export interface Storage {
  readonly name: "sqlite";
  /** Env that points an instance at its database. */
  env(node: NodeName, dataDir: string): Record<string, string>;
  /** A read-only query from outside the instance (works while the instance is dead or paused). */
  query<T>(dataDir: string, sql: string, ...params: unknown[]): Promise<T[]>;
}

export const sqliteStorage: Storage = {
  name: "sqlite",
  env: () => ({}),
  async query<T>(dataDir: string, sql: string, ...params: unknown[]): Promise<T[]> {
    const db = new Database(`${dataDir}/tandem.db`, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  },
};

export interface ClusterNode {
  name: NodeName;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  inst: RunningInstance | null;
  url: string;
}

export interface Cluster {
  nodes: Partial<Record<NodeName, ClusterNode>> & { alpha: ClusterNode; beta: ClusterNode };
  /** Proxies in front of alpha's remotes, by remote name. */
  proxies: Partial<Record<NodeName, FaultProxy>>;
  storage: Storage;
  node(name: NodeName): ClusterNode;
  query<T>(name: NodeName, sql: string, ...params: unknown[]): Promise<T[]>;
  start(name: NodeName): Promise<void>;
  kill(name: NodeName): Promise<void>;
  pause(name: NodeName): void;
  resume(name: NodeName): void;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  rng: Rng;
  storage?: Storage;
  /** alpha + beta, or alpha linked to beta and to gamma. */
  topology?: "pair" | "triple";
  /** A data folder to use (e.g. a small tmpfs for the disk-full trial). */
  dataDirs?: Partial<Record<NodeName, string>>;
  env?: Record<string, string>;
  /** Env of one node only (e.g. a smaller body limit on the receiver). */
  nodeEnv?: Partial<Record<NodeName, Record<string, string>>>;
  /** Nodes not to start at first (gamma dead for the whole run). */
  startLater?: NodeName[];
}

export const adminAuth = basic("admin", "admin");

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const storage = options.storage ?? sqliteStorage;
  const names: NodeName[] = options.topology === "triple" ? ["alpha", "beta", "gamma"] : ["alpha", "beta"];
  const secret = randomBytes(16).toString("hex");
  const ports = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await freePort()])),
  ) as Record<NodeName, number>;
  const url = (n: NodeName) => `http://127.0.0.1:${ports[n]}`;
  const proxies: Partial<Record<NodeName, FaultProxy>> = {};
  for (const remote of names.filter((n) => n !== "alpha")) {
    proxies[remote] = await startProxy({
      target: () => url(remote),
      rng: options.rng.fork(`proxy:${remote}`),
    });
  }
  const peersOf = (n: NodeName): NodeName[] =>
    n === "alpha" ? names.filter((p) => p !== "alpha") : ["alpha"];
  const nodes = {} as Cluster["nodes"];
  for (const name of names) {
    const dataDir = options.dataDirs?.[name] ?? tempDataDir(name);
    const peers = peersOf(name);
    nodes[name] = {
      name,
      port: ports[name],
      dataDir,
      url: url(name),
      inst: null,
      env: {
        TANDEM_SEED: "demo",
        TANDEM_DEMO_PAIRING: secret,
        TANDEM_DEMO_PEER: peers.join(","),
        TANDEM_DEMO_PEER_URL: peers
          .map((p) => (name === "alpha" ? (proxies[p]?.url ?? url(p)) : url(p)))
          .join(","),
        ...storage.env(name, dataDir),
        ...options.env,
        ...options.nodeEnv?.[name],
      },
    };
  }
  const node = (name: NodeName): ClusterNode => {
    const n = nodes[name];
    if (!n) throw new Error(`No node ${name} in this cluster`);
    return n;
  };
  const cluster: Cluster = {
    nodes,
    proxies,
    storage,
    node,
    query: (name, sql, ...params) => storage.query(node(name).dataDir, sql, ...params),
    async start(name) {
      const n = node(name);
      n.inst = await startInstance({ name, port: n.port, dataDir: n.dataDir, env: n.env });
    },
    async kill(name) {
      await node(name).inst?.kill();
      node(name).inst = null;
    },
    pause(name) {
      node(name).inst?.process.kill("SIGSTOP");
    },
    resume(name) {
      node(name).inst?.process.kill("SIGCONT");
    },
    async stop() {
      for (const n of Object.values(nodes)) n.inst?.process.kill("SIGCONT");
      await Promise.all(Object.values(nodes).map((n) => n.inst?.stop()));
      await Promise.all(Object.values(proxies).map((p) => p.close()));
    },
  };
  const later = new Set(options.startLater ?? []);
  const started = names.filter((n) => !later.has(n));
  await Promise.all(started.map((n) => cluster.start(n)));
  // The demo seed validates each pairing as soon as the peer answers; trials start after that.
  const deadline = Date.now() + 60_000;
  for (const name of started) {
    for (;;) {
      const rows = await cluster.query<{ name: string; outbound_state: string }>(
        name,
        "SELECT name, outbound_state FROM remote_system",
      );
      const pending = rows.filter(
        (r) => started.includes(r.name as NodeName) && r.outbound_state !== "active",
      );
      if (rows.length > 0 && pending.length === 0) break;
      if (Date.now() > deadline) {
        const message = (
          await cluster.query<{ m: string }>(name, "SELECT state_message AS m FROM remote_system")
        )
          .map((r) => r.m)
          .join("; ");
        const log = cluster.node(name).inst?.output().slice(-1500) ?? "";
        await cluster.stop();
        throw new Error(`${name}'s remotes did not validate: ${JSON.stringify(rows)} ${message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return cluster;
}
