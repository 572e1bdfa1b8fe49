import { type Balancer, startBalancer } from "./balancer";
import { freePort, type RunningInstance, startInstance, tempDataDir } from "./instances";
import { type PairMember, remoteState, waitFor } from "./pair";

// Two paired instances on PostgreSQL, each served by several processes behind a round-robin
// balancer (issue 13), as an operator runs them: the processes of one instance share its data
// folder name (so the test backend gives them one database and one secret key), its public URL
// is its balancer's, and its peer is reached through the peer's balancer.

export interface Cluster {
  name: "alpha" | "beta";
  dataDir: string;
  /** The port of each process, in order. */
  ports: number[];
  processes: RunningInstance[];
  balancer: Balancer;
  env: Record<string, string>;
  /** For the pair helpers' look-ups (query, remoteState, trpc: through the first process). */
  member: PairMember;
  /** The pair helpers' member for process `i` (its own URL). */
  process(i: number): PairMember;
  /** SIGKILLs process `i`. */
  kill(i: number): Promise<void>;
  /** Starts process `i` again on its port (after kill or stop). */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterPair {
  alpha: Cluster;
  beta: Cluster;
  stop(): Promise<void>;
}

async function startCluster(
  name: "alpha" | "beta",
  ports: number[],
  balancer: Balancer,
  peerUrl: string,
  secret: string,
): Promise<Cluster> {
  const dataDir = tempDataDir(name);
  const env = {
    TANDEM_SEED: "demo",
    TANDEM_DEMO_PAIRING: secret,
    TANDEM_DEMO_PEER: name === "alpha" ? "beta" : "alpha",
    TANDEM_DEMO_PEER_URL: peerUrl,
    TANDEM_PUBLIC_URL: balancer.url,
  };
  const start = (port: number) => startInstance({ name, port, dataDir, env });
  // The first process seeds the demo and the pairing; the others find them in the database.
  const processes = [await start(ports[0] as number)];
  processes.push(...(await Promise.all(ports.slice(1).map(start))));
  const memberOf = (i: number): PairMember => ({
    inst: processes[i] as RunningInstance,
    port: ports[i] as number,
    dataDir,
    env,
  });
  const cluster: Cluster = {
    name,
    dataDir,
    ports,
    processes,
    balancer,
    env,
    get member() {
      return memberOf(0);
    },
    process: memberOf,
    kill: async (i) => processes[i]?.kill(),
    restart: async (i) => {
      processes[i] = await start(ports[i] as number);
    },
    stop: async () => {
      await Promise.all(processes.map((p) => p.stop()));
      await balancer.close();
    },
  };
  return cluster;
}

/** alpha with `alphaProcesses` processes, beta with `betaProcesses`, paired and validated. */
export async function startClusterPair(alphaProcesses: number, betaProcesses: number): Promise<ClusterPair> {
  if (process.env.TANDEM_TEST_BACKEND !== "postgres")
    throw new Error("Several processes per instance need PostgreSQL: run the integration-pg project");
  const alphaPorts = await Promise.all(Array.from({ length: alphaProcesses }, freePort));
  const betaPorts = await Promise.all(Array.from({ length: betaProcesses }, freePort));
  const alphaBalancer = await startBalancer(() => alphaPorts);
  const betaBalancer = await startBalancer(() => betaPorts);
  const secret = `cluster-pairing-${Date.now()}`;
  const [alpha, beta] = await Promise.all([
    startCluster("alpha", alphaPorts, alphaBalancer, betaBalancer.url, secret),
    startCluster("beta", betaPorts, betaBalancer, alphaBalancer.url, secret),
  ]);
  const pair: ClusterPair = {
    alpha,
    beta,
    stop: async () => {
      await Promise.all([alpha.stop(), beta.stop()]);
    },
  };
  try {
    await waitFor(
      () => remoteState(alpha.member).outbound === "active" && remoteState(beta.member).outbound === "active",
      30_000,
      "the pair to validate",
    );
  } catch (error) {
    await pair.stop();
    throw error;
  }
  return pair;
}
