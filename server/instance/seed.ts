import type { NewUser, UserDirectory } from "../auth/users";
import type { RecordService } from "../records/record-service";
import type { Actor } from "../records/types";
import { exclusive, get, type Plan, run, sql } from "../storage";
import { RecordError } from "../util/errors";

const system: Actor = { userName: "system", origin: "system" };

export const demoUsers = [
  {
    user_name: "sync.admin",
    name: "Sam Sync",
    email: "sync.admin@localhost",
    roles: "sync_admin,sync_operator,flow_designer,itil",
  },
  { user_name: "designer", name: "Dana Designer", roles: "flow_designer" },
  { user_name: "operator", name: "Oscar Operator", roles: "sync_operator" },
  { user_name: "beth.anglin", name: "Beth Anglin", roles: "itil" },
  { user_name: "david.loo", name: "David Loo", roles: "itil" },
];

const groups = [
  { name: "Hardware", description: "Laptops, printers, desks and phones" },
  { name: "Software", description: "Applications and licences" },
  { name: "Network", description: "Wi-Fi, VPN and cabling" },
];

const Q = {
  marked: sql<{ one: number }>("SELECT 1 AS one FROM instance_setting WHERE key = ?"),
  mark: sql("INSERT INTO instance_setting (key, value, updated_at) VALUES (?, ?, ?)"),
};

function* marked(key: string): Plan<boolean> {
  return (yield* get(Q.marked, key)) !== undefined;
}

function* mark(key: string): Plan<void> {
  yield* run(Q.mark, key, new Date().toISOString(), Date.now());
}

/** Creates a seed user; another process of the instance starting at the same time may have just made it. */
async function createUnlessTaken(users: UserDirectory, user: NewUser): Promise<void> {
  try {
    await users.create(user, system);
  } catch (error) {
    if (!(error instanceof RecordError && error.status === 409 && (await users.findByName(user.user_name))))
      throw error;
  }
}

/** The admin user always exists; its password comes from TANDEM_ADMIN_PASSWORD the first time. */
export async function seedAdmin(
  users: UserDirectory,
  adminPassword: string,
  instance: string,
): Promise<void> {
  if (await users.findByName("admin")) return;
  await createUnlessTaken(users, {
    user_name: "admin",
    name: "System Administrator",
    email: `admin@${instance}.localhost`,
    roles: "admin",
    password: adminPassword,
  });
}

/** Demo users (password = user name), groups and a few incidents; runs once per database. */
export async function seedDemo(deps: { records: RecordService; users: UserDirectory; instance: string }) {
  const { records, users, instance } = deps;
  if (await records.storage.read(marked("seed.demo.v1"))) return;
  for (const u of demoUsers) {
    if (!(await users.findByName(u.user_name)))
      await createUnlessTaken(users, { ...u, password: u.user_name });
  }
  await records.transaction(function* () {
    yield* exclusive("seed.demo");
    if (yield* marked("seed.demo.v1")) return; // another process seeded meanwhile
    const ids = new Map<string, string>();
    for (const g of groups) {
      const existing = yield* records.resolveReferencePlan("sys_user_group", g.name);
      ids.set(g.name, existing ?? (yield* records.createPlan("sys_user_group", g, system)).sys_id);
    }
    const incidents = [
      {
        short_description: `Laptop will not boot (${instance})`,
        assignment_group: "Hardware",
        category: "hardware",
        impact: "2",
        urgency: "2",
        caller: "beth.anglin",
      },
      {
        short_description: `Printer on floor 3 jams (${instance})`,
        assignment_group: "Hardware",
        category: "hardware",
        impact: "3",
        urgency: "2",
        caller: "david.loo",
      },
      {
        short_description: `VPN drops every hour (${instance})`,
        assignment_group: "Network",
        category: "network",
        impact: "2",
        urgency: "1",
        state: "2",
        caller: "beth.anglin",
      },
      {
        short_description: `Licence expired for the design suite (${instance})`,
        assignment_group: "Software",
        category: "software",
        impact: "3",
        urgency: "3",
        caller: "david.loo",
      },
    ];
    for (const inc of incidents) {
      yield* records.createPlan(
        "incident",
        { ...inc, assignment_group: ids.get(inc.assignment_group) ?? "" },
        system,
      );
    }
    yield* mark("seed.demo.v1");
  });
}
