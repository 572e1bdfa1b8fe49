import { getTableColumns, is, SQL, sql } from "drizzle-orm";
import {
  bigint,
  customType,
  doublePrecision,
  foreignKey,
  index,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTable,
  type PgTableWithColumns,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { getTableConfig, type SQLiteColumn, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";

// The PostgreSQL schema is derived from the SQLite tables (issue 13): one source of truth, so a
// column added to server/db/schema/ is in both dialects. Values are stored as SQLite stores them
// (epoch-ms integers as bigint, JSON and enums as text, booleans as 0/1), so the same query gives
// the same answer on both; a column mode (json, boolean, timestamp) converts with the SQLite
// column's own mappers.

/** The PostgreSQL twin of a SQLite column: same data type, nullability and defaults in TypeScript. */
type PgColumnOf<C> = C extends SQLiteColumn<infer T> ? PgColumn<T> : never;

export type PgTableOf<T extends SQLiteTable> = PgTableWithColumns<{
  name: T["_"]["name"];
  schema: undefined;
  columns: { [K in keyof T["_"]["columns"]]: PgColumnOf<T["_"]["columns"][K]> };
  dialect: "pg";
}>;

export type PgTablesOf<S> = {
  [K in keyof S as S[K] extends SQLiteTable ? K : never]: S[K] extends SQLiteTable ? PgTableOf<S[K]> : never;
};

/**
 * SQL defaults are dialect-specific: each one used in server/db/schema/ needs its PostgreSQL
 * twin here, and an unknown one stops the derivation instead of being copied verbatim.
 */
const SQL_DEFAULTS: Record<string, SQL> = {
  // unixepoch() is whole seconds: floor keeps the values identical
  "(unixepoch() * 1000)": sql`(floor(extract(epoch from now())) * 1000)::bigint`,
};

const sqliteDialect = new SQLiteSyncDialect();

/**
 * A partial index's WHERE, copied as text: only a term without parameters (a column compared
 * with a literal reads the same in both dialects) is mapped.
 */
function partialTerm(table: string, index: string, term: SQL): SQL {
  const query = sqliteDialect.sqlToQuery(term);
  if (query.params.length > 0) throw new Error(`${table}: partial index ${index} has parameters, not mapped`);
  return sql.raw(query.sql);
}

function where(table: string, column?: string): string {
  return column ? `${table}.${column}` : table;
}

type AnyBuilder = PgColumnBuilderBase & {
  notNull(): AnyBuilder;
  primaryKey(): AnyBuilder;
  unique(name?: string): AnyBuilder;
  default(value: unknown): AnyBuilder;
  $defaultFn(fn: () => unknown): AnyBuilder;
  $onUpdateFn(fn: () => unknown): AnyBuilder;
  generatedByDefaultAsIdentity(): AnyBuilder;
  generatedAlwaysAs(as: SQL): AnyBuilder;
};

/** A PostgreSQL type that stores what the SQLite column stores and converts as it does. */
function delegating(column: SQLiteColumn, dataType: string, fromDriver: (value: unknown) => unknown) {
  return customType<{ data: unknown; driverData: unknown }>({
    dataType: () => dataType,
    toDriver: (value) => column.mapToDriverValue(value),
    fromDriver: (value) => column.mapFromDriverValue(fromDriver(value)),
  })(column.name);
}

function columnBuilder(table: string, column: SQLiteColumn, onlyPrimaryKey: boolean): AnyBuilder {
  const storage = column.getSQLType();
  const kind = column.columnType;
  // node-postgres returns int8 as a string: back to a number, as better-sqlite3 returns it
  const asNumber = (value: unknown) => (typeof value === "string" ? Number(value) : value);
  if (storage === "integer") {
    if (kind === "SQLiteInteger") {
      const builder = bigint(column.name, { mode: "number" }) as unknown as AnyBuilder;
      // INTEGER PRIMARY KEY is SQLite's rowid: assigned when not given, like an identity
      return column.primary && onlyPrimaryKey ? builder.generatedByDefaultAsIdentity() : builder;
    }
    if (column.primary) throw new Error(`${where(table, column.name)}: a ${kind} primary key is not mapped`);
    return delegating(column, "bigint", asNumber) as unknown as AnyBuilder;
  }
  if (storage === "text") {
    if (kind === "SQLiteText") {
      const enumValues = column.enumValues as [string, ...string[]] | undefined;
      return text(column.name, enumValues ? { enum: enumValues } : {}) as unknown as AnyBuilder;
    }
    return delegating(column, "text", (value) => value) as unknown as AnyBuilder;
  }
  if (storage === "real") {
    if (kind === "SQLiteReal") return doublePrecision(column.name) as unknown as AnyBuilder;
    return delegating(column, "double precision", asNumber) as unknown as AnyBuilder;
  }
  if (storage === "blob") return delegating(column, "bytea", (value) => value) as unknown as AnyBuilder;
  throw new Error(`${where(table, column.name)}: SQLite type ${storage} (${kind}) has no PostgreSQL mapping`);
}

/**
 * A computed column's expression, copied as text (PostgreSQL stores what SQLite computes on
 * read: it has no virtual columns). Only an SQL expression without parameters is mapped.
 */
function generatedAs(table: string, column: SQLiteColumn): SQL {
  const as = column.generated?.as;
  const expression = typeof as === "function" ? as() : as;
  if (!is(expression, SQL))
    throw new Error(`${where(table, column.name)}: a generated value that is not SQL is not mapped`);
  const query = sqliteDialect.sqlToQuery(expression);
  if (query.params.length > 0)
    throw new Error(`${where(table, column.name)}: a generated column with parameters is not mapped`);
  return sql.raw(query.sql);
}

function defaultOf(table: string, column: SQLiteColumn): unknown {
  if (is(column.default, SQL)) {
    const text = sqliteDialect.sqlToQuery(column.default).sql;
    const translated = SQL_DEFAULTS[text];
    if (!translated) {
      throw new Error(
        `${where(table, column.name)}: the SQL default ${text} has no PostgreSQL twin: add one to SQL_DEFAULTS in server/db/schema-pg/derive.ts`,
      );
    }
    return translated;
  }
  // What SQLite stores for it (JSON text, 0/1), so both databases hold the same default
  return column.mapToDriverValue(column.default);
}

function pgTableFrom(sqliteTable: SQLiteTable, resolve: (t: SQLiteTable) => PgTable): PgTable {
  const config = getTableConfig(sqliteTable);
  const name = config.name;
  const columns = getTableColumns(sqliteTable) as Record<string, SQLiteColumn>;
  const keyOf = new Map(Object.entries(columns).map(([key, column]) => [column.name, key]));
  const onlyPrimaryKey = Object.values(columns).filter((c) => c.primary).length === 1;

  if (config.checks.length > 0) {
    throw new Error(`${name}: CHECK constraints are SQL and need a PostgreSQL translation first`);
  }
  const builders: Record<string, AnyBuilder> = {};
  for (const [key, column] of Object.entries(columns)) {
    let builder = columnBuilder(name, column, onlyPrimaryKey);
    if (column.generated) builder = builder.generatedAlwaysAs(generatedAs(name, column));
    if (column.notNull) builder = builder.notNull();
    if (column.default !== undefined) builder = builder.default(defaultOf(name, column));
    if (column.defaultFn) builder = builder.$defaultFn(column.defaultFn);
    if (column.onUpdateFn) builder = builder.$onUpdateFn(column.onUpdateFn);
    if (column.primary) builder = builder.primaryKey();
    if (column.isUnique) builder = builder.unique(column.uniqueName);
    builders[key] = builder;
  }

  const pick = (self: Record<string, PgColumn>, column: SQLiteColumn | SQL, what: string): PgColumn => {
    if (is(column, SQL)) throw new Error(`${name}: ${what} on an expression is not mapped`);
    const picked = self[keyOf.get(column.name) ?? ""];
    if (!picked) throw new Error(`${where(name, column.name)}: column not found for ${what}`);
    return picked;
  };
  type Cols = [PgColumn, ...PgColumn[]];

  return pgTable(name, builders, (self) => {
    const own = self as unknown as Record<string, PgColumn>;
    const cols = (list: Array<SQLiteColumn | SQL>, what: string) =>
      list.map((c) => pick(own, c, what)) as Cols;
    return [
      ...config.primaryKeys.map((pk) =>
        primaryKey({ columns: cols(pk.columns, "primary key"), ...(pk.name ? { name: pk.name } : {}) }),
      ),
      ...config.uniqueConstraints.map((uc) => unique(uc.getName()).on(...cols(uc.columns, "unique"))),
      ...config.indexes.map((ix) => {
        const build = ix.config.unique ? uniqueIndex : index;
        const built = build(ix.config.name).on(...cols(ix.config.columns, `index ${ix.config.name}`));
        return ix.config.where ? built.where(partialTerm(name, ix.config.name, ix.config.where)) : built;
      }),
      ...config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        const target = resolve(ref.foreignTable) as unknown as Record<string, PgColumn>;
        const targetKeys = getTableColumns(ref.foreignTable) as Record<string, SQLiteColumn>;
        const targetKeyOf = new Map(Object.entries(targetKeys).map(([k, c]) => [c.name, k]));
        const foreignColumns = ref.foreignColumns.map((c) => target[targetKeyOf.get(c.name) ?? ""]);
        if (foreignColumns.some((c) => !c))
          throw new Error(`${name}: foreign key ${fk.getName()} target not found`);
        let built = foreignKey({
          name: fk.getName(),
          columns: cols(ref.columns, "foreign key"),
          foreignColumns: foreignColumns as Cols,
        });
        if (fk.onDelete) built = built.onDelete(fk.onDelete);
        if (fk.onUpdate) built = built.onUpdate(fk.onUpdate);
        return built;
      }),
    ];
  }) as unknown as PgTable;
}

/** Every SQLite table exported by a schema module, as a PostgreSQL table under the same export name. */
export function derivePgTables<S extends Record<string, unknown>>(schema: S): PgTablesOf<S> {
  const byTable = new Map<SQLiteTable, PgTable>();
  const resolve = (t: SQLiteTable): PgTable => {
    const found = byTable.get(t);
    if (!found) throw new Error(`${getTableConfig(t).name} is referenced but not exported by the schema`);
    return found;
  };
  const out: Record<string, PgTable> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const table = pgTableFrom(value, resolve);
    byTable.set(value, table);
    out[key] = table;
  }
  return out as PgTablesOf<S>;
}
