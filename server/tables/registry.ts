import type { Db } from "../db/client";
import { tableRegistry } from "../db/schema";
import { badRequest } from "../util/errors";
import { type FieldDefinition, type TableDefinition, tableDefinitionSchema } from "./types";

/** The business tables of an instance, read from the table_registry and cached in memory. */
export class TableRegistry {
  private tables = new Map<string, TableDefinition>();
  private fieldIndex = new Map<string, Map<string, FieldDefinition>>();

  constructor(private readonly db: Db) {
    this.reload();
  }

  /** Writes (or updates) table definitions, then refreshes the cache. */
  install(definitions: TableDefinition[]): void {
    this.db.transaction((tx) => {
      for (const def of definitions) {
        const row = {
          name: def.name,
          label: def.label,
          numberPrefix: def.numberPrefix,
          displayField: def.displayField,
          fields: { lookupFields: def.lookupFields, fields: def.fields },
        };
        tx.insert(tableRegistry)
          .values(row)
          .onConflictDoUpdate({ target: tableRegistry.name, set: row })
          .run();
      }
    });
    this.reload();
  }

  reload(): void {
    this.tables.clear();
    this.fieldIndex.clear();
    for (const row of this.db.select().from(tableRegistry).all()) {
      // The JSON column holds the field list and the lookup fields together.
      const extra = row.fields as { lookupFields?: string[]; fields: unknown };
      const def = tableDefinitionSchema.parse({
        ...row,
        lookupFields: extra.lookupFields,
        fields: extra.fields,
      });
      this.tables.set(def.name, def);
      this.fieldIndex.set(def.name, new Map(def.fields.map((f) => [f.name, f])));
    }
  }

  list(): TableDefinition[] {
    return [...this.tables.values()];
  }

  get(name: string): TableDefinition | undefined {
    return this.tables.get(name);
  }

  /** The table, or a 400 that names it (what the Table API answers for an unknown table). */
  require(name: string): TableDefinition {
    const def = this.tables.get(name);
    if (!def) {
      throw badRequest(
        `Invalid table ${name}`,
        `There is no table named "${name}". Known tables: ${[...this.tables.keys()].join(", ")}`,
      );
    }
    return def;
  }

  field(table: string, name: string): FieldDefinition | undefined {
    return this.fieldIndex.get(table)?.get(name);
  }
}
