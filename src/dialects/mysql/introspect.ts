/**
 * The schema of replay's scratch database from MySQL's / MariaDB's information_schema (only rows of that one
 * database: every query filters on TABLE_SCHEMA), in the shape rollback-mismatch and schema-drift compare
 * (src/replay/introspect.ts), and how Prisma reads it: the type families, native types and defaults of Prisma's
 * MySQL describer (prisma-engines, schema-engine/sql-schema-describer/src/mysql.rs: get_column_type,
 * get_all_columns).
 */
import { compareCodeUnits } from "../../compare.js";
import { ACTION_CODES, SCALAR_FAMILIES, engineDriftTypes, unquoteLiteral, type EngineDefault, type TypeFamily } from "../../replay/engine-drift.js";
import type { DbColumn, DbConstraint, DbIndex, DbRelation, DbSnapshot } from "../../replay/introspect.js";

/** Rows of one query with `?` parameters. */
export type MysqlRows = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const quote = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const list = (names: ReadonlyArray<string | null>) => names.map((n) => (n === null ? "<expression>" : quote(n))).join(", ");
const str = (value: unknown) => (value === null || value === undefined ? null : Buffer.isBuffer(value) ? value.toString("utf8") : String(value));

export async function mysqlSnapshot(rows: MysqlRows, database: string, mariadb: boolean): Promise<DbSnapshot> {
  const relations = new Map<string, DbRelation>();
  const tables = await rows("SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", [database]);
  const views = new Map((await rows("SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?", [database])).map((v) => [str(v.name)!, str(v.definition)]));
  for (const t of tables) {
    const name = str(t.name)!;
    const view = str(t.type) === "VIEW";
    relations.set(`.${name}`, { oid: 0, schema: "", name, kind: view ? "v" : "r", partition: false, columns: [], indexes: [], constraints: [], triggers: [], definition: view ? (views.get(name) ?? null) : null });
  }
  const relation = (name: unknown) => relations.get(`.${str(name)}`);

  const columns = await rows(
    "SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
    [database],
  );
  for (const c of columns) {
    const extra = (str(c.extra) ?? "").toLowerCase();
    const dataType = (str(c.dataType) ?? "").toLowerCase();
    const columnType = str(c.columnType) ?? dataType;
    relation(c.tbl)?.columns.push({
      name: str(c.name)!,
      type: columnType,
      elemType: columnType,
      isArray: false,
      typeName: dataType,
      typeSchema: "",
      typeKind: "b",
      notNull: str(c.nullable) === "NO",
      default: normalizeDefault(str(c.dflt), extra, dataType, mariadb),
      identity: "",
      generated: /\b(virtual|stored|persistent) generated\b|^(virtual|stored|persistent)$/.test(extra) ? "s" : "",
      autoIncrement: extra.includes("auto_increment"),
    });
  }

  const statistics = await rows(
    "SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, SEQ_IN_INDEX AS seq, COLUMN_NAME AS col, SUB_PART AS subPart, INDEX_TYPE AS type FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    [database],
  );
  const indexes = new Map<string, { tbl: string; index: DbIndex; parts: string[] }>();
  for (const s of statistics) {
    const key = `${str(s.tbl)}\0${str(s.name)}`;
    let entry = indexes.get(key);
    if (!entry) {
      const name = str(s.name)!;
      const type = (str(s.type) ?? "BTREE").toUpperCase();
      entry = { tbl: str(s.tbl)!, parts: [], index: { name, unique: Number(s.nonUnique) === 0, primary: name === "PRIMARY", method: type === "FULLTEXT" ? "fulltext" : type === "SPATIAL" ? "spatial" : type === "HASH" ? "hash" : "btree", columns: [], descending: [], partial: false, definition: "", constraint: null } };
      indexes.set(key, entry);
    }
    const column = str(s.col);
    entry.index.columns.push(column);
    entry.index.descending.push(false);
    entry.parts.push(column === null ? "<expression>" : `${quote(column)}${s.subPart !== null && s.subPart !== undefined ? `(${str(s.subPart)})` : ""}`);
  }
  for (const { tbl, index, parts } of indexes.values()) {
    const table = relation(tbl);
    if (!table) continue;
    index.definition = `${index.primary ? "PRIMARY KEY" : `${index.unique ? "UNIQUE " : ""}${index.method === "fulltext" ? "FULLTEXT " : index.method === "spatial" ? "SPATIAL " : ""}INDEX ${quote(index.name)}`} (${parts.join(", ")})`;
    table.indexes.push(index);
    if (index.primary) table.constraints.push({ name: "PRIMARY", type: "p", definition: index.definition, columns: index.columns.filter((c): c is string => c !== null), references: null, onDelete: "", onUpdate: "", validated: true, inherited: false });
  }

  const keys = await rows(
    `SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS ref, k.REFERENCED_COLUMN_NAME AS refCol, r.UPDATE_RULE AS onUpdate, r.DELETE_RULE AS onDelete
     FROM information_schema.KEY_COLUMN_USAGE k
     JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
     WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
     ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database],
  );
  const foreignKeys = new Map<string, { tbl: string; fk: DbConstraint }>();
  for (const k of keys) {
    const key = `${str(k.tbl)}\0${str(k.name)}`;
    let entry = foreignKeys.get(key);
    if (!entry) {
      const onDelete = (str(k.onDelete) ?? "").toUpperCase();
      const onUpdate = (str(k.onUpdate) ?? "").toUpperCase();
      entry = { tbl: str(k.tbl)!, fk: { name: str(k.name)!, type: "f", definition: "", columns: [], references: { schema: "", table: str(k.ref)!, columns: [] }, onDelete: ACTION_CODES[onDelete] ?? onDelete, onUpdate: ACTION_CODES[onUpdate] ?? onUpdate, validated: true, inherited: false } };
      entry.fk.definition = `ON DELETE ${onDelete} ON UPDATE ${onUpdate}`;
      foreignKeys.set(key, entry);
    }
    entry.fk.columns.push(str(k.col)!);
    entry.fk.references!.columns.push(str(k.refCol)!);
  }
  for (const { tbl, fk } of foreignKeys.values()) {
    fk.definition = `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quote(fk.references!.table)} (${list(fk.references!.columns)}) ${fk.definition}`;
    relation(tbl)?.constraints.push(fk);
  }

  for (const check of await checkConstraints(rows, database)) {
    const table = relation(check.tbl);
    if (!table) continue;
    // MariaDB's JSON is LONGTEXT with a json_valid check: Prisma's Json on MariaDB, read as json for drift
    const json = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(check.clause.trim());
    const column = json ? table.columns.find((c) => c.name === json[1]!.replace(/``/g, "`")) : undefined;
    if (column && mariadb && column.typeName === "longtext") column.elemType = "json";
    table.constraints.push({ name: check.name, type: "c", definition: `CHECK (${check.clause})`, columns: [], references: null, onDelete: "", onUpdate: "", validated: true, inherited: false });
  }

  for (const t of await rows("SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?", [database])) {
    relation(t.tbl)?.triggers.push({ name: str(t.name)!, definition: `${str(t.timing)} ${str(t.event)} ${str(t.body)}` });
  }
  for (const r of relations.values()) {
    r.indexes.sort((a, b) => compareCodeUnits(a.name, b.name));
    r.constraints.sort((a, b) => compareCodeUnits(a.name, b.name));
    r.triggers.sort((a, b) => compareCodeUnits(a.name, b.name));
  }
  return { relations, enums: new Map(), functions: new Map(), extensions: new Set() };
}

/** CHECK constraints: MariaDB's CHECK_CONSTRAINTS names the table; MySQL 8's does not (joined with TABLE_CONSTRAINTS); older servers have neither. */
async function checkConstraints(rows: MysqlRows, database: string): Promise<Array<{ tbl: string; name: string; clause: string }>> {
  const read = (result: Array<Record<string, unknown>>) => result.map((r) => ({ tbl: str(r.tbl)!, name: str(r.name)!, clause: str(r.clause) ?? "" }));
  try {
    return read(await rows("SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?", [database]));
  } catch {
    try {
      return read(
        await rows(
          "SELECT t.TABLE_NAME AS tbl, c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS c JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND t.CONSTRAINT_TYPE = 'CHECK' WHERE c.CONSTRAINT_SCHEMA = ?",
          [database],
        ),
      );
    } catch {
      return [];
    }
  }
}

const TEXTUAL = /^(char|varchar|tinytext|text|mediumtext|longtext|enum|set|date|datetime|timestamp|time|year|json|binary|varbinary|tinyblob|blob|mediumblob|longblob)$/;

/**
 * One spelling for both servers' COLUMN_DEFAULT: MariaDB (10.2.7+) quotes string literals and writes `NULL` for
 * none; MySQL 8 gives a literal unquoted and marks an expression DEFAULT_GENERATED. Literals come out quoted
 * (`'x'`), numbers bare, expressions as the server wrote them, none as null.
 */
function normalizeDefault(raw: string | null, extra: string, dataType: string, mariadb: boolean): string | null {
  if (raw === null) return null;
  if (mariadb) return raw === "NULL" ? null : raw;
  if (extra.includes("default_generated") || !TEXTUAL.test(dataType)) return raw;
  return /^current_timestamp/i.test(raw) ? raw : `'${raw.replace(/'/g, "''")}'`;
}

/** Prisma's MySQL describer: the family of a column (get_column_type, on DATA_TYPE and COLUMN_TYPE). */
function familyOf(column: DbColumn): TypeFamily {
  const type = column.elemType === "json" ? "json" : column.typeName;
  const precision = /\((\d+)\)/.exec(column.type)?.[1];
  switch (type) {
    case "int":
    case "smallint":
    case "mediumint":
    case "year":
      return "Int";
    case "tinyint":
      return precision === "1" ? "Boolean" : "Int";
    case "bigint":
      return "BigInt";
    case "decimal":
      return "Decimal";
    case "float":
    case "double":
      return "Float";
    case "char":
    case "varchar":
    case "text":
    case "tinytext":
    case "mediumtext":
    case "longtext":
    case "set":
      return "String";
    case "enum":
      return "Enum";
    case "json":
      return "Json";
    case "date":
    case "time":
    case "datetime":
    case "timestamp":
      return "DateTime";
    case "bit":
      return precision === "1" ? "Boolean" : "Binary";
    case "binary":
    case "varbinary":
    case "blob":
    case "tinyblob":
    case "mediumblob":
    case "longblob":
      return "Binary";
    default:
      return "Unsupported";
  }
}

/** COLUMN_TYPE without the integer display widths MariaDB and MySQL 5.7 print (`int(11)`), which mean nothing; `tinyint(1)` is Boolean and keeps it. */
function normalizeType(column: DbColumn): string {
  if (column.elemType === "json") return "json";
  return column.type
    .toLowerCase()
    .replace(/^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)/, (whole, base: string, width: string) => (base === "tinyint" && width === "1" ? whole : base))
    .replace(/\s+/g, " ")
    .trim();
}

/** The column type Prisma creates for each scalar type on MySQL (its default native type). */
const SCALAR_TYPES: Record<string, string> = { String: "varchar(191)", Boolean: "tinyint(1)", Int: "int", BigInt: "bigint", Float: "double", Decimal: "decimal(65,30)", DateTime: "datetime(3)", Json: "json", Bytes: "longblob" };

/** `@db.X(args)` -> COLUMN_TYPE as normalized above; null when unknown (not compared). */
function nativeType(prismaType: string, name: string, args: number[]): string | null {
  const [a, b] = args;
  const n = (fallback?: number) => (a ?? fallback) === undefined ? "" : `(${a ?? fallback})`;
  const unsigned = /^Unsigned(TinyInt|SmallInt|MediumInt|Int|BigInt)$/.exec(name);
  if (unsigned) return `${unsigned[1]!.toLowerCase()} unsigned`;
  switch (name) {
    case "VarChar":
    case "Char":
    case "Binary":
    case "VarBinary":
      return a === undefined ? null : `${name.toLowerCase()}(${a})`;
    case "Text":
    case "TinyText":
    case "MediumText":
    case "LongText":
    case "Blob":
    case "TinyBlob":
    case "MediumBlob":
    case "LongBlob":
    case "SmallInt":
    case "MediumInt":
    case "Int":
    case "BigInt":
    case "Year":
    case "Float":
    case "Double":
    case "Date":
    case "Json":
      return name.toLowerCase();
    case "TinyInt":
      return prismaType === "Boolean" ? "tinyint(1)" : "tinyint";
    case "Bit":
      return `bit${n(1)}`;
    case "Decimal":
      return a === undefined ? null : `decimal(${a},${b ?? 0})`;
    case "DateTime":
    case "Timestamp":
    case "Time":
      return `${name.toLowerCase()}${n()}`;
    default:
      return null;
  }
}

/** The values of `enum('A','B')`. */
function enumValues(column: DbColumn): string[] | null {
  const body = /^enum\((.*)\)$/is.exec(column.type)?.[1];
  if (body === undefined) return null;
  return [...body.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => m[1]!.replace(/''/g, "'").replace(/\\(.)/g, "$1"));
}

/** Prisma's MySQL describer: a default as it reads it (normalized first, see normalizeDefault). */
function readDefault(column: DbColumn): EngineDefault {
  const text = column.default?.trim();
  if (text === undefined || text === "NULL") return { kind: "none" };
  if (/^(current_timestamp|now|localtimestamp|localtime)(\(\d*\))?$/i.test(text)) return { kind: "now" };
  const unquoted = unquoteLiteral(text);
  if (unquoted !== null) return { kind: "value", text: unquoted.replace(/\\(.)/g, "$1") };
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return { kind: "value", text };
  return { kind: "expression", text };
}

export const mysqlDriftTypes = engineDriftTypes({
  database: "MySQL",
  family: familyOf,
  expectedType(field, enums) {
    const prismaEnum = enums.get(field.type);
    if (prismaEnum) {
      const values = prismaEnum.values.map((v) => v.dbName);
      return { family: "Enum", type: `enum(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")})`, values };
    }
    const family = SCALAR_FAMILIES[field.type];
    if (!family) return null;
    if (!field.nativeType) return { family, type: SCALAR_TYPES[field.type]! };
    const match = /^(\w+)\s*(?:\(([^)]*)\))?$/.exec(field.nativeType.trim());
    const args = (match?.[2] ?? "").split(",").map((s) => s.trim()).filter(Boolean).map(Number);
    if (!match || args.some((x) => !Number.isFinite(x))) return null;
    const type = nativeType(field.type, match[1]!, args);
    return type ? { family, type } : { family, type: null };
  },
  actualType: normalizeType,
  enumValues,
  readDefault,
  autoIncrementWithoutDefaultDiffers: true,
  // MySQL creates an index named after a foreign key when no index starts with its columns; Prisma never declares it
  implicitIndex: (index, table) => !index.unique && table.constraints.some((c) => c.type === "f" && c.name === index.name && c.columns.length === index.columns.length && c.columns.every((col, i) => col === index.columns[i])),
});
