/**
 * The schema of a SQLite database from SQLite's own catalog (sqlite_master, PRAGMA table_xinfo, index_list,
 * index_xinfo, foreign_key_list), in the shape rollback-mismatch and schema-drift compare (src/replay/introspect.ts),
 * and how Prisma reads it: the type families and defaults of Prisma's SQLite describer
 * (prisma-engines, schema-engine/sql-schema-describer/src/sqlite.rs: get_column_type, push_columns).
 */
import { compareCodeUnits } from "../../compare.js";
import { ACTION_CODES, SCALAR_FAMILIES, engineDriftTypes, unquoteLiteral, type EngineDefault, type TypeFamily } from "../../replay/engine-drift.js";
import type { DbColumn, DbConstraint, DbIndex, DbRelation, DbSnapshot } from "../../replay/introspect.js";

/** What introspection needs of the database: rows of one query, with parameters. */
export type SqliteRows = (sql: string, params?: unknown[]) => Array<Record<string, unknown>>;

/** SQLite's own tables and Cloudflare D1's, which Prisma leaves out too. */
const IGNORED = (name: string) => /^sqlite_/.test(name) || name === "d1_migrations" || /^_cf_[A-Z]+/.test(name);

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const list = (names: ReadonlyArray<string | null>) => names.map((n) => (n === null ? "<expression>" : quote(n))).join(", ");

export function sqliteSnapshot(rows: SqliteRows): DbSnapshot {
  const relations = new Map<string, DbRelation>();
  const master = rows("SELECT type, name, tbl_name AS tbl, sql FROM sqlite_master ORDER BY name") as Array<{ type: string; name: string; tbl: string; sql: string | null }>;
  for (const entry of master) {
    if ((entry.type !== "table" && entry.type !== "view") || IGNORED(entry.name)) continue;
    const info = rows("SELECT name, type, \"notnull\" AS required, dflt_value AS dflt, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", [entry.name]) as Array<{ name: string; type: string; required: number; dflt: string | null; pk: number; hidden: number }>;
    const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    // a sole INTEGER primary key is the rowid: Prisma reads it as auto-increment and required
    const rowid = pk.length === 1 && pk[0]!.type.toUpperCase() === "INTEGER" ? pk[0]!.name : null;
    const columns: DbColumn[] = info
      .filter((c) => c.hidden !== 1)
      .map((c) => ({
        name: c.name,
        type: c.type,
        elemType: c.type,
        isArray: false,
        typeName: c.type.toLowerCase(),
        typeSchema: "",
        typeKind: "b",
        notNull: c.required === 1 || c.name === rowid,
        default: c.dflt,
        identity: "",
        generated: c.hidden === 2 || c.hidden === 3 ? "s" : "",
        autoIncrement: c.name === rowid,
      }));
    const relation: DbRelation = { oid: 0, schema: "", name: entry.name, kind: entry.type === "view" ? "v" : "r", partition: false, columns, indexes: [], constraints: [], triggers: [], definition: entry.type === "view" ? entry.sql : null };
    if (entry.type === "table") {
      relation.indexes = indexesOf(rows, entry.name, master);
      relation.constraints = [...(pk.length ? [primaryKey(pk.map((c) => c.name))] : []), ...foreignKeysOf(rows, entry.name)];
    }
    relations.set(`.${entry.name}`, relation);
  }
  for (const entry of master) {
    if (entry.type !== "trigger") continue;
    relations.get(`.${entry.tbl}`)?.triggers.push({ name: entry.name, definition: entry.sql ?? "" });
  }
  for (const relation of relations.values()) {
    relation.indexes.sort((a, b) => compareCodeUnits(a.name, b.name));
    relation.constraints.sort((a, b) => compareCodeUnits(a.name, b.name));
    relation.triggers.sort((a, b) => compareCodeUnits(a.name, b.name));
  }
  return { relations, enums: new Map(), functions: new Map(), extensions: new Set() };
}

function primaryKey(columns: string[]): DbConstraint {
  return { name: "PRIMARY KEY", type: "p", definition: `PRIMARY KEY (${list(columns)})`, columns, references: null, onDelete: "", onUpdate: "", validated: true, inherited: false };
}

function indexesOf(rows: SqliteRows, table: string, master: Array<{ type: string; name: string; sql: string | null }>): DbIndex[] {
  const out: DbIndex[] = [];
  const list_ = rows("SELECT name, \"unique\" AS isUnique, origin, partial FROM pragma_index_list(?)", [table]) as Array<{ name: string; isUnique: number; origin: string; partial: number }>;
  for (const index of list_) {
    const keys = rows("SELECT name, \"desc\" AS descending FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", [index.name]) as Array<{ name: string | null; descending: number }>;
    const columns = keys.map((k) => k.name);
    const sql = master.find((m) => m.type === "index" && m.name === index.name)?.sql;
    out.push({
      name: index.name,
      unique: index.isUnique === 1,
      primary: index.origin === "pk",
      method: "btree",
      columns,
      descending: keys.map((k) => k.descending === 1),
      partial: index.partial === 1,
      // an index SQLite made for a PRIMARY KEY or UNIQUE clause has no SQL of its own
      definition: sql ?? `${index.isUnique === 1 ? "UNIQUE " : ""}(${list(columns)}), from the table's ${index.origin === "pk" ? "PRIMARY KEY" : "UNIQUE"} clause`,
      constraint: null,
    });
  }
  return out;
}

function foreignKeysOf(rows: SqliteRows, table: string): DbConstraint[] {
  const keys = rows("SELECT id, seq, \"table\" AS ref, \"from\" AS col, \"to\" AS refCol, on_update AS onUpdate, on_delete AS onDelete FROM pragma_foreign_key_list(?) ORDER BY id, seq", [table]) as Array<{
    id: number;
    ref: string;
    col: string;
    refCol: string | null;
    onUpdate: string;
    onDelete: string;
  }>;
  const byId = new Map<number, typeof keys>();
  for (const key of keys) byId.set(key.id, [...(byId.get(key.id) ?? []), key]);
  const out: DbConstraint[] = [];
  for (const parts of byId.values()) {
    const first = parts[0]!;
    const columns = parts.map((p) => p.col);
    // `REFERENCES "User"` without columns references the primary key
    const refColumns = parts.every((p) => p.refCol !== null) ? parts.map((p) => p.refCol!) : primaryKeyOf(rows, first.ref);
    // SQLite keeps no names for foreign keys: the definition names it
    const name = `FOREIGN KEY (${list(columns)}) REFERENCES ${quote(first.ref)} (${list(refColumns)})`;
    out.push({
      name,
      type: "f",
      definition: `${name} ON DELETE ${first.onDelete} ON UPDATE ${first.onUpdate}`,
      columns,
      references: { schema: "", table: first.ref, columns: refColumns },
      onDelete: ACTION_CODES[first.onDelete.toUpperCase()] ?? first.onDelete,
      onUpdate: ACTION_CODES[first.onUpdate.toUpperCase()] ?? first.onUpdate,
      validated: true,
      inherited: false,
    });
  }
  return out;
}

function primaryKeyOf(rows: SqliteRows, table: string): string[] {
  const info = rows("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table]) as Array<{ name: string }>;
  return info.map((c) => c.name);
}

/** Prisma's SQLite describer: the family of a declared type (get_column_type, matched on the lower-cased text). */
function familyOf(declared: string): TypeFamily {
  const type = declared.toLowerCase().replace(/\[\]$/, "");
  switch (type) {
    case "int":
    case "integer":
    case "serial":
      return "Int";
    case "bigint":
      return "BigInt";
    case "real":
    case "float":
    case "double":
      return "Float";
    case "boolean":
      return "Boolean";
    case "text":
      return "String";
    case "date":
    case "datetime":
    case "timestamp":
      return "DateTime";
    case "binary":
    case "blob":
      return "Binary";
    case "jsonb":
      return "Json";
  }
  if (type.includes("char")) return "String";
  if (type.includes("numeric") || type.includes("decimal")) return "Decimal";
  return "Unsupported";
}

/** What `prisma migrate` writes for each family on SQLite (for messages: families are what is compared). */
const CREATED: Record<string, string> = { String: "TEXT", Int: "INTEGER", BigInt: "BIGINT", Float: "REAL", Decimal: "DECIMAL", Boolean: "BOOLEAN", DateTime: "DATETIME", Json: "JSONB", Binary: "BLOB" };

/** Prisma's SQLite describer: a default as it reads it (push_columns). */
function readDefault(column: DbColumn): EngineDefault {
  const text = column.default?.trim();
  if (text === undefined || /^null$/i.test(text)) return { kind: "none" };
  if (/^(current_timestamp|datetime\('now'\)|datetime\('now', 'localtime'\))$/i.test(text)) return { kind: "now" };
  const unquoted = unquoteLiteral(text);
  if (unquoted !== null) return { kind: "value", text: unquoted };
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) || /^(true|false)$/i.test(text)) return { kind: "value", text };
  return { kind: "expression", text };
}

export const sqliteDriftTypes = engineDriftTypes({
  database: "SQLite",
  family: (column) => familyOf(column.type),
  expectedType(field, enums) {
    // SQLite has no native types (@db.*); an enum is TEXT
    const family = enums.has(field.type) ? "String" : SCALAR_FAMILIES[field.type];
    if (!family) return null;
    return { family, type: null, label: CREATED[family]! };
  },
  actualType: (column) => column.type,
  readDefault,
  autoIncrementWithoutDefaultDiffers: false,
});
