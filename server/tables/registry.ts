import { all, freshReload, isSync, type Plan, run, type Storage, sql } from "../storage";
import { SqliteStorage } from "../storage/sqlite";
import { badRequest } from "../util/errors";
import { type FieldDefinition, type TableDefinition, tableDefinitionSchema } from "./types";

interface RegistryRow {
  name: string;
  label: string;
  number_prefix: string | null;
  display_field: string;
  /** JSON: the field list and the lookup fields together. */
  fields: string;
}

const Q = {
  // In insertion order on SQLite (as before), by name on PostgreSQL (no rowid there).
  list: sql<RegistryRow>({
    sqlite: "SELECT name, label, number_prefix, display_field, fields FROM table_registry",
    postgres:
      'SELECT name, label, number_prefix, display_field, fields FROM table_registry ORDER BY name COLLATE "C"',
  }),
  upsert: sql(
    `INSERT INTO table_registry (name, label, number_prefix, display_field, fields) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET label = excluded.label, number_prefix = excluded.number_prefix,
         display_field = excluded.display_field, fields = excluded.fields`,
  ),
};

function toDefinition(row: RegistryRow): TableDefinition {
  const extra = JSON.parse(row.fields) as { lookupFields?: string[]; fields: unknown };
  return tableDefinitionSchema.parse({
    name: row.name,
    label: row.label,
    numberPrefix: row.number_prefix,
    displayField: row.display_field,
    lookupFields: extra.lookupFields,
    fields: extra.fields,
  });
}

/** The registry's storage work as plans, for both dialects. */
export const tableRegistryPlans = {
  *list(): Plan<TableDefinition[]> {
    return (yield* all(Q.list)).map(toDefinition);
  },

  /** Writes (or updates) table definitions. */
  *install(definitions: TableDefinition[]): Plan<void> {
    for (const def of definitions)
      yield* run(
        Q.upsert,
        def.name,
        def.label,
        def.numberPrefix,
        def.displayField,
        JSON.stringify({ lookupFields: def.lookupFields, fields: def.fields }),
      );
  },
};

interface Snapshot {
  tables: Map<string, TableDefinition>;
  fieldIndex: Map<string, Map<string, FieldDefinition>>;
}

function snapshotOf(definitions: TableDefinition[]): Snapshot {
  return {
    tables: new Map(definitions.map((d) => [d.name, d])),
    fieldIndex: new Map(definitions.map((d) => [d.name, new Map(d.fields.map((f) => [f.name, f]))])),
  };
}

/**
 * The business tables of an instance, read from the table_registry and cached in memory: `get`,
 * `require`, `list` and `field` answer synchronously from the cache, loaded by `load()` (on SQLite
 * the first read loads it too) and reloaded after an install here or, through the signal
 * "tables", in another process of the instance.
 */
export class TableRegistry {
  private current: Snapshot | undefined;
  private notifying = false;
  private readonly unlisten: () => void;

  constructor(
    private readonly storage: Storage,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.unlisten = storage.signals.listen("tables", () => {
      if (!this.notifying) this.reload().catch(this.onError);
    });
  }

  /** Loads the cache (before anything reads it on PostgreSQL). */
  load(): Promise<void> {
    return this.reload();
  }

  /** Stops following the other processes' installs. */
  close(): void {
    this.unlisten();
  }

  /** Writes (or updates) table definitions; settles once this process's cache shows them. */
  async install(definitions: TableDefinition[]): Promise<void> {
    await this.storage.transaction(() => tableRegistryPlans.install(definitions));
    const reloaded = this.reload();
    this.notifying = true;
    try {
      this.storage.signals.notify("tables");
    } finally {
      this.notifying = false;
    }
    await reloaded;
  }

  /** SQLite only, at once (in-memory test instances): the install and the new cache. */
  installSync(definitions: TableDefinition[]): void {
    const storage = this.storage;
    if (!(storage instanceof SqliteStorage))
      throw new Error(`TableRegistry.installSync on ${storage.dialect}`);
    storage.sqlite.transaction(() => storage.runSync(tableRegistryPlans.install(definitions)))();
    this.current = snapshotOf(storage.runSync(tableRegistryPlans.list()));
    storage.signals.notify("tables");
  }

  /** A reload whose read starts from now (the running one's may have started before a commit). */
  readonly reload = freshReload(async () => {
    this.current = snapshotOf(await this.storage.read(tableRegistryPlans.list()));
  });

  private snapshot(): Snapshot {
    if (!this.current) {
      if (!isSync(this.storage))
        throw new Error(`TableRegistry read before load() on ${this.storage.dialect}`);
      this.current = snapshotOf(this.storage.runSync(tableRegistryPlans.list()));
    }
    return this.current;
  }

  list(): TableDefinition[] {
    return [...this.snapshot().tables.values()];
  }

  get(name: string): TableDefinition | undefined {
    return this.snapshot().tables.get(name);
  }

  /** The table, or a 400 that names it (what the Table API answers for an unknown table). */
  require(name: string): TableDefinition {
    const tables = this.snapshot().tables;
    const def = tables.get(name);
    if (!def) {
      throw badRequest(
        `Invalid table ${name}`,
        `There is no table named "${name}". Known tables: ${[...tables.keys()].join(", ")}`,
      );
    }
    return def;
  }

  field(table: string, name: string): FieldDefinition | undefined {
    return this.snapshot().fieldIndex.get(table)?.get(name);
  }
}
