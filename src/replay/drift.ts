/**
 * schema-drift: the database (replayed from the migrations, or live with
 * drift-only) compared with what schema.prisma describes, the way
 * `prisma migrate diff` would see it:
 *
 * - models (`@@map`, `@@schema`) <-> tables; fields (`@map`) <-> columns;
 * - Prisma types and `@db.*` <-> column types; optional <-> nullable; lists <-> arrays;
 * - `@id`/`@@id` <-> primary key; `@unique`/`@@unique` <-> unique indexes;
 *   `@@index` <-> indexes (by columns in order, and `type:`);
 * - relations <-> foreign keys (columns, referenced table and columns,
 *   ON DELETE / ON UPDATE with Prisma's defaults), unless `relationMode = "prisma"`;
 * - implicit many-to-many relations <-> their `_AToB` join tables;
 * - `@default` <-> column defaults; enums <-> enum types and values;
 * - tables, columns, indexes, foreign keys and enums the database has and the schema lacks.
 *
 * Literal defaults are compared by value: both sides are cast to the column
 * type in Postgres (`'0'::numeric` equals `0.0`), inside the caller's
 * transaction and under a savepoint, so it works in a READ ONLY transaction.
 */
import { own } from "../own.js";
import { readFileSync } from "node:fs";
import type { PrismaBlockIndex, PrismaEnum, PrismaField, PrismaModel, PrismaSchemaModel, SchemaLocation } from "../schema/types.js";
import { decodeText } from "../model/load.js";
import { SourceText } from "../parse/source-text.js";
import { loadPostgresParser } from "../dialects/postgres/parse.js";
import { walk } from "../model/ast.js";
import { dbError, type ReplayDb } from "./driver.js";
import { displayName, relationKey, type DbColumn, type DbIndex, type DbRelation, type DbSnapshot } from "./introspect.js";
import {
  ACTION_NAMES,
  INDEX_METHODS,
  REFERENTIAL_ACTIONS,
  expectedDefault,
  expectedType,
  normalizeDbTypeForUnsupported,
  normalizeType,
  normalizeUnsupported,
} from "./prisma-types.js";
import { describeColumn } from "./rollback.js";
import type { MessageInput } from "./messages.js";

export interface DriftFinding {
  /** Absolute path of the .prisma file. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  help?: string;
  /** Stable fingerprint parts. */
  key: string[];
}

export interface DriftOptions {
  /** Schema of models without `@@schema` (`""` where the database has no schemas: SQLite, one MySQL database). */
  defaultSchema: string;
  /** True for drift-only against a live database (changes the wording only). */
  live: boolean;
  /** How the dialect maps Prisma's types and defaults onto its columns; Postgres's by default. */
  types: DriftTypes;
}

/** What differs between dialects in the comparison: Prisma's type and default mapping, and enums. */
export interface DriftTypes {
  /** null when the column has the type Prisma creates for the field; otherwise both sides, as the message says them. */
  compareType(field: PrismaField, column: DbColumn, enums: Map<string, PrismaEnum>, schemaOf: (s: string | null) => string): { expected: string; actual: string } | null;
  /** The same for the default: `expected` completes "Field X ...", `actual` "but column Y ...". */
  compareDefault(field: PrismaField, column: DbColumn, enums: Map<string, PrismaEnum>): Promise<{ expected: string; actual: string } | null>;
  /** Enums are database types of their own, compared with their values (Postgres); elsewhere they are a column's type. */
  enumTypes: boolean;
  /** An index the database creates by itself, which schema.prisma never declares (MySQL's index behind a foreign key). */
  implicitIndex?(index: DbIndex, table: DbRelation): boolean;
}

/** Postgres: types as `format_type` prints them, literal defaults compared by casting both sides in the database `db`. */
export function postgresDriftTypes(db: ReplayDb, live: boolean): DriftTypes {
  return {
    compareType,
    compareDefault: (field, column, enums) => compareDefault(field, column, enums, db, live),
    enumTypes: true,
  };
}

/** A drift finding as a replay message. */
export function driftMessage(finding: DriftFinding): MessageInput {
  return {
    ruleId: "schema-drift",
    severity: 2,
    message: finding.message,
    ...(finding.help ? { help: finding.help } : {}),
    position: { line: finding.line, column: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
    key: finding.key,
  };
}

/** Tables replay never reports as missing from the schema. */
const IGNORED_TABLES = new Set(["_prisma_migrations"]);

export async function checkDrift(snapshot: DbSnapshot, schema: PrismaSchemaModel, options: DriftOptions): Promise<DriftFinding[]> {
  const findings: DriftFinding[] = [];
  const texts = new SchemaTexts();
  const where = options.live ? "the database" : "the migrated database";
  const lacks = options.live ? "the database does not have it" : "no migration creates it";
  const help = options.live
    ? "Bring the database and schema.prisma back in line: apply the pending migrations, or update schema.prisma (`prisma db pull` shows what the database has)."
    : "Make schema.prisma and the migrations agree: run `prisma migrate dev` to generate the missing migration, or fix schema.prisma.";
  const at = (location: SchemaLocation, message: string, key: string[]): void => {
    findings.push({ file: location.file, ...positionOf(location), message, help, key });
  };
  const atFileStart = (message: string, key: string[]): void => {
    const file = schema.datasourceFile ?? schema.files[0];
    if (file) findings.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, message, help, key });
  };

  const schemas = schema.schemas.length ? schema.schemas : [options.defaultSchema];
  const schemaOf = (declared: string | null) => declared ?? (schema.schemas.length === 1 ? schema.schemas[0]! : options.defaultSchema);
  const enums = new Map(schema.enums.map((e) => [e.name, e]));
  const models = new Map(schema.models.map((m) => [m.name, m]));
  const relationModePrisma = texts.relationModeIsPrisma(schema.datasourceFile);
  const tableOf = (model: PrismaModel): DbRelation | undefined => {
    const relation = snapshot.relations.get(relationKey(schemaOf(model.schema), model.tableName));
    return relation && (relation.kind === "r" || relation.kind === "p") ? relation : undefined;
  };
  const columnOf = (model: PrismaModel, fieldName: string) => model.fields.find((f) => f.name === fieldName)?.columnName ?? fieldName;

  const matchedTables = new Set<DbRelation>();
  for (const model of schema.models) {
    const table = tableOf(model);
    const tableName = displayName(schemaOf(model.schema), model.tableName);
    if (!table) {
      at(model.location, `Model "${model.name}" maps to table ${tableName}, but ${lacks}.`, ["schema-drift", "table-missing", model.tableName]);
      continue;
    }
    matchedTables.add(table);
    const columns = new Map(table.columns.map((c) => [c.name, c]));
    const scalars = model.fields.filter((f) => !f.relation);

    // Columns
    for (const field of scalars) {
      const column = columns.get(field.columnName);
      const label = `Field "${model.name}.${field.name}"`;
      const columnLabel = `column ${tableName}."${field.columnName}"`;
      const key = ["schema-drift", model.tableName, field.columnName];
      if (!column) {
        at(field.location, `${label} maps to ${columnLabel}, but ${lacks}.`, [...key, "missing"]);
        continue;
      }
      const typeProblem = options.types.compareType(field, column, enums, schemaOf);
      if (typeProblem) at(field.location, `${label} is ${typeProblem.expected}, but ${columnLabel} is ${typeProblem.actual} in ${where}.`, [...key, "type"]);
      if (!field.list && field.optional === column.notNull) {
        at(
          field.location,
          field.optional ? `${label} is optional, but ${columnLabel} is NOT NULL in ${where}.` : `${label} is required, but ${columnLabel} is nullable in ${where}.`,
          [...key, "nullability"],
        );
      }
      const defaultProblem = await options.types.compareDefault(field, column, enums);
      if (defaultProblem) at(field.location, `${label} ${defaultProblem.expected}, but ${columnLabel} ${defaultProblem.actual} in ${where}.`, [...key, "default"]);
    }
    const mapped = new Set(scalars.map((f) => f.columnName));
    for (const column of table.columns) {
      if (mapped.has(column.name)) continue;
      at(model.location, `Column ${tableName}."${column.name}" (${describeColumn(column)}) exists in ${where}, but model "${model.name}" has no field mapped to it.`, [
        "schema-drift",
        model.tableName,
        column.name,
        "extra",
      ]);
    }

    // Primary key
    const idBlock = model.indexes.find((i) => i.kind === "id");
    const idFields = idBlock ? idBlock.fields : model.fields.filter((f) => f.id).map((f) => f.name);
    const expectedPk = idFields.map((f) => columnOf(model, f));
    const pk = table.constraints.find((c) => c.type === "p");
    const pkLocation = idBlock?.location ?? model.fields.find((f) => f.id)?.location ?? model.location;
    if (expectedPk.length && !pk) {
      at(pkLocation, `Model "${model.name}" has the primary key (${list(expectedPk)}), but table ${tableName} has no primary key in ${where}.`, ["schema-drift", model.tableName, "pk", "missing"]);
    } else if (expectedPk.length && pk && !sameList(pk.columns, expectedPk)) {
      at(pkLocation, `Model "${model.name}" has the primary key (${list(expectedPk)}), but table ${tableName} has the primary key (${list(pk.columns)}) in ${where}.`, [
        "schema-drift",
        model.tableName,
        "pk",
        "columns",
      ]);
    } else if (!expectedPk.length && pk) {
      at(model.location, `Table ${tableName} has the primary key (${list(pk.columns)}) in ${where}, but model "${model.name}" has no @id or @@id.`, ["schema-drift", model.tableName, "pk", "extra"]);
    }

    // Unique constraints and indexes
    const usable = table.indexes.filter((i) => !i.primary && !i.partial && i.columns.every((c) => c !== null));
    const expectedUniques: Array<{ columns: string[]; location: SchemaLocation; label: string }> = [
      ...scalars.filter((f) => f.unique).map((f) => ({ columns: [f.columnName], location: f.location, label: `Field "${model.name}.${f.name}" is @unique` })),
      ...model.indexes
        .filter((i) => i.kind === "unique")
        .map((i) => ({ columns: i.fields.map((f) => columnOf(model, f)), location: i.location, label: `Model "${model.name}" has @@unique([${i.fields.join(", ")}])` })),
    ];
    const matchedIndexes = new Set<string>();
    for (const unique of expectedUniques) {
      const found = usable.find((i) => i.unique && sameList(i.columns as string[], unique.columns));
      if (found) matchedIndexes.add(found.name);
      else at(unique.location, `${unique.label}, but table ${tableName} has no unique index on (${list(unique.columns)}) in ${where}.`, ["schema-drift", model.tableName, "unique", ...unique.columns]);
    }
    for (const index of model.indexes.filter((i) => i.kind === "index" || i.kind === "fulltext")) {
      const cols = index.fields.map((f) => columnOf(model, f));
      const method = index.kind === "fulltext" ? "fulltext" : (texts.indexMethod(index) ?? "btree");
      // Indexes match by columns: a partial index on the same columns satisfies an @@index
      // (schema.prisma cannot express the predicate; projects approximate it this way).
      // A partial unique index never satisfies @@unique: it does not make the columns unique.
      const candidates = table.indexes
        .filter((i) => !i.primary && !i.unique && sameList(i.columns, cols))
        .sort((a, b) => Number(a.partial) - Number(b.partial));
      const found = candidates.find((i) => i.method === method);
      if (found) {
        matchedIndexes.add(found.name);
      } else if (candidates.length) {
        matchedIndexes.add(candidates[0]!.name);
        at(index.location, `Model "${model.name}" has @@${index.kind}([${index.fields.join(", ")}]) of type ${method}, but the index on (${list(cols)}) is ${candidates[0]!.method} in ${where}.`, [
          "schema-drift",
          model.tableName,
          "index-method",
          ...cols,
        ]);
      } else {
        at(index.location, `Model "${model.name}" has @@${index.kind}([${index.fields.join(", ")}]), but table ${tableName} has no index on (${list(cols)}) in ${where}.`, [
          "schema-drift",
          model.tableName,
          "index",
          ...cols,
        ]);
      }
    }
    for (const index of table.indexes) {
      if (index.primary || matchedIndexes.has(index.name)) continue;
      // An index behind an exclusion constraint is not an index Prisma manages.
      if (index.constraint && table.constraints.some((c) => c.name === index.constraint && c.type === "x")) continue;
      // Partial and expression indexes are hand-written SQL that schema.prisma cannot describe: no schema change could "fix" them.
      if (index.partial || index.columns.some((c) => c === null)) continue;
      if (options.types.implicitIndex?.(index, table)) continue;
      at(model.location, `Index "${index.name}" on ${tableName} exists in ${where}, but schema.prisma does not declare it: ${index.definition}.`, [
        "schema-drift",
        model.tableName,
        "index-extra",
        index.name,
      ]);
    }

    // Foreign keys
    if (!relationModePrisma) {
      const foreignKeys = table.constraints.filter((c) => c.type === "f" && !c.inherited);
      const matchedKeys = new Set<string>();
      for (const field of model.fields) {
        const relation = field.relation;
        if (!relation || !relation.fields.length) continue;
        const target = models.get(field.type);
        if (!target) continue;
        const cols = relation.fields.map((f) => columnOf(model, f));
        const refCols = relation.references.map((f) => columnOf(target, f));
        const refSchema = schemaOf(target.schema);
        const label = `Relation "${model.name}.${field.name}"`;
        const key = ["schema-drift", model.tableName, "fk", ...cols];
        const found = foreignKeys.find(
          (fk) => sameList(fk.columns, cols) && fk.references && fk.references.table === target.tableName && fk.references.schema === refSchema && sameList(fk.references.columns, refCols),
        );
        if (!found) {
          at(field.location, `${label} needs a foreign key (${list(cols)}) referencing ${displayName(refSchema, target.tableName)} (${list(refCols)}), but ${where} has none.`, key);
          continue;
        }
        matchedKeys.add(found.name);
        const allOptional = relation.fields.every((f) => model.fields.find((x) => x.name === f)?.optional ?? false);
        const onDelete = relation.onDelete ?? (allOptional ? "SetNull" : "Restrict");
        const onUpdate = relation.onUpdate ?? "Cascade";
        const problems: string[] = [];
        if (REFERENTIAL_ACTIONS[onDelete] !== found.onDelete) problems.push(`onDelete ${onDelete}${relation.onDelete ? "" : " (Prisma's default)"} but the foreign key has ON DELETE ${sqlAction(found.onDelete)}`);
        if (REFERENTIAL_ACTIONS[onUpdate] !== found.onUpdate) problems.push(`onUpdate ${onUpdate}${relation.onUpdate ? "" : " (Prisma's default)"} but the foreign key has ON UPDATE ${sqlAction(found.onUpdate)}`);
        if (problems.length) at(field.location, `${label} has ${problems.join(", and ")} ("${found.name}") in ${where}.`, [...key, "actions"]);
      }
      for (const fk of foreignKeys) {
        if (matchedKeys.has(fk.name)) continue;
        at(model.location, `Foreign key "${fk.name}" on ${tableName} exists in ${where}, but no relation in schema.prisma declares it: ${fk.definition}.`, ["schema-drift", model.tableName, "fk-extra", fk.name]);
      }
    }
  }

  // Implicit many-to-many join tables
  for (const join of implicitManyToMany(schema.models, models)) {
    const table = snapshot.relations.get(relationKey(schemaOf(join.a.schema), join.table));
    if (!table || (table.kind !== "r" && table.kind !== "p")) {
      at(join.field.location, `The implicit many-to-many relation "${join.name}" needs the join table ${displayName(schemaOf(join.a.schema), join.table)}, but ${lacks}.`, [
        "schema-drift",
        join.table,
        "m2m-missing",
      ]);
      continue;
    }
    matchedTables.add(table);
    for (const column of ["A", "B"]) {
      if (!table.columns.some((c) => c.name === column)) {
        at(join.field.location, `The join table ${displayName(table.schema, table.name)} of the implicit many-to-many relation "${join.name}" has no column "${column}" in ${where}.`, [
          "schema-drift",
          join.table,
          column,
        ]);
      }
    }
  }

  // Tables the schema does not know
  for (const table of snapshot.relations.values()) {
    if ((table.kind !== "r" && table.kind !== "p") || table.partition || matchedTables.has(table) || !schemas.includes(table.schema) || IGNORED_TABLES.has(table.name)) continue;
    atFileStart(`Table ${displayName(table.schema, table.name)} exists in ${where}, but no model in schema.prisma maps to it (@@map).`, ["schema-drift", table.schema, table.name, "table-extra"]);
  }

  if (!options.types.enumTypes) return findings;
  // Enums
  const matchedEnums = new Set<string>();
  for (const prismaEnum of schema.enums) {
    const enumSchema = schemaOf(prismaEnum.schema);
    const key = relationKey(enumSchema, prismaEnum.dbName);
    const dbEnum = snapshot.enums.get(key);
    if (!dbEnum) {
      at(prismaEnum.location, `Enum "${prismaEnum.name}" maps to the enum type ${displayName(enumSchema, prismaEnum.dbName)}, but ${lacks}.`, ["schema-drift", "enum", key, "missing"]);
      continue;
    }
    matchedEnums.add(key);
    const dbValues = new Set(dbEnum.values);
    for (const value of prismaEnum.values) {
      if (!dbValues.has(value.dbName)) {
        at(value.location, `Enum value "${prismaEnum.name}.${value.name}" ("${value.dbName}") is not a value of the enum type ${displayName(enumSchema, prismaEnum.dbName)} in ${where}.`, [
          "schema-drift",
          "enum",
          key,
          value.dbName,
        ]);
      }
    }
    const declared = new Set(prismaEnum.values.map((v) => v.dbName));
    const extra = dbEnum.values.filter((v) => !declared.has(v));
    if (extra.length) {
      at(prismaEnum.location, `The enum type ${displayName(enumSchema, prismaEnum.dbName)} has the value${extra.length > 1 ? "s" : ""} ${extra.map((v) => `"${v}"`).join(", ")} in ${where}, but enum "${prismaEnum.name}" does not.`, [
        "schema-drift",
        "enum",
        key,
        "extra-values",
      ]);
    }
  }
  for (const [key, dbEnum] of snapshot.enums) {
    if (matchedEnums.has(key) || !schemas.includes(dbEnum.schema)) continue;
    atFileStart(`The enum type ${displayName(dbEnum.schema, dbEnum.name)} exists in ${where}, but schema.prisma has no enum mapped to it.`, ["schema-drift", "enum", key, "extra"]);
  }
  return findings;
}

function compareType(field: PrismaField, column: DbColumn, enums: Map<string, PrismaEnum>, schemaOf: (s: string | null) => string): { expected: string; actual: string } | null {
  const expected = expectedType(field, enums);
  const listSuffix = field.list ? "[]" : "";
  const actual = column.type;
  if (expected.kind === "unknown") return null;
  if (field.list !== column.isArray) {
    return { expected: `${field.list ? "a list" : "not a list"} (${expected.prisma}${listSuffix})`, actual: actual };
  }
  if (expected.kind === "enum") {
    const enumSchema = schemaOf(expected.enum.schema);
    if (column.typeKind === "e" && column.typeName === expected.enum.dbName && column.typeSchema === enumSchema) return null;
    return { expected: `the enum ${expected.enum.name}${listSuffix} (type ${displayName(enumSchema, expected.enum.dbName)}${listSuffix})`, actual };
  }
  if (expected.kind === "unsupported") {
    // `Unsupported("...")` is written as the user wrote it: compare loosely (aliases, spacing, case), and by base name.
    const want = normalizeUnsupported(expected.type);
    const have = normalizeDbTypeForUnsupported(column.elemType);
    const haveBase = normalizeDbTypeForUnsupported(column.typeName);
    if (want === have || want === haveBase) return null;
    return { expected: `${expected.prisma} (${expected.type})`, actual };
  }
  if (normalizeType(column.elemType) === expected.type) return null;
  return { expected: `${expected.prisma}${listSuffix} (${expected.type}${listSuffix} in Postgres)`, actual };
}

const CURRENT_TIMESTAMP = /^(CURRENT_TIMESTAMP(\(\d\))?|now\(\)|transaction_timestamp\(\)|statement_timestamp\(\))(::timestamp(\(\d\))? with(out)? time zone)?$/i;

async function compareDefault(field: PrismaField, column: DbColumn, enums: Map<string, PrismaEnum>, db: ReplayDb, live: boolean): Promise<{ expected: string; actual: string } | null> {
  const expected = expectedDefault(field, enums);
  const actualDefault = column.default === null ? null : unwrapParens(column.default);
  const actual = actualDefault === null ? (column.identity ? `is an identity column` : "has no default") : `has the default ${actualDefault}`;
  const sequence = column.identity !== "" || (actualDefault?.startsWith("nextval(") ?? false);
  switch (expected.kind) {
    case "none":
      if (actualDefault === null && !column.identity) return null;
      if (column.generated) return null;
      return { expected: "has no @default", actual };
    case "client":
      if (actualDefault === null && !column.identity) return null;
      return { expected: `has @default(${expected.text}), which Prisma Client generates (no database default)`, actual };
    case "autoincrement":
      if (sequence) return null;
      return { expected: "has @default(autoincrement()) (a sequence)", actual };
    case "now":
      if (actualDefault !== null && CURRENT_TIMESTAMP.test(actualDefault.replace(/\s+/g, " "))) return null;
      return { expected: "has @default(now()) (CURRENT_TIMESTAMP)", actual };
    case "dbgenerated":
      // Prisma does not diff the expression of a dbgenerated default; only that there is one.
      if (actualDefault !== null || column.identity || column.generated) return null;
      return { expected: `has @default(${field.default})`, actual };
    case "unknown":
      return null;
    case "literal": {
      if (actualDefault === null || sequence) return { expected: `has @default(${expected.text})`, actual };
      // a live database's default is evaluated only when it is a constant: a function in it could act anywhere (dblink)
      if (live && !(await isConstantExpression(actualDefault))) return { expected: `has @default(${expected.text})`, actual };
      const equal = await sameValue(db, actualDefault, expected, column.type);
      if (equal === true) return null;
      return { expected: `has @default(${expected.text})`, actual: typeof equal === "string" ? `${actual} (${equal})` : actual };
    }
  }
}

/**
 * Casts both to the column type and compares their text forms (json compared
 * as jsonb). The schema's value is a bind parameter, never SQL text: it comes
 * from schema.prisma, and drift-only runs on a live database. The database's
 * own default expression (`pg_get_expr`) and type name are the database's.
 * Returns true/false, or an error text when Postgres cannot evaluate them.
 */
async function sameValue(db: ReplayDb, actualSql: string, expected: { value: string; base64?: true }, columnType: string): Promise<boolean | string> {
  const type = columnType.replace(/^json(\[\])?$/, "jsonb$1");
  const parameter = expected.base64 ? "decode($1::text, 'base64')" : "$1::text";
  await db.exec("SAVEPOINT migration_lint_default");
  try {
    const rows = await db.query<{ same: boolean }>(`SELECT (CAST((${actualSql}) AS ${type}))::text IS NOT DISTINCT FROM (CAST(${parameter} AS ${type}))::text AS same`, [expected.value]);
    await db.exec("RELEASE SAVEPOINT migration_lint_default");
    return rows[0]?.same === true;
  } catch (err) {
    await db.exec("ROLLBACK TO SAVEPOINT migration_lint_default");
    const e = dbError(err);
    if (!e) throw err;
    return `Postgres cannot compare them: ${e.message}`;
  }
}

/** Node types of a constant expression: literals, casts, arrays of them, unary minus. */
const CONSTANT_NODES = new Set(["A_Const", "TypeCast", "TypeName", "A_ArrayExpr", "A_Expr", "String", "Integer", "Float", "Boolean", "BitString", "ResTarget", "SelectStmt", "RawStmt"]);

/** Whether `expression` (pg_get_expr's text) is built of constants only, by libpg-query's AST. */
async function isConstantExpression(expression: string): Promise<boolean> {
  const parser = await loadPostgresParser();
  let tree: unknown;
  try {
    tree = parser.parseSync(`SELECT ${expression}`);
  } catch {
    return false;
  }
  let constant = true;
  walk(tree, (type, body) => {
    if (!CONSTANT_NODES.has(type) || (type === "A_Expr" && (body.kind !== "AEXPR_OP" || body.lexpr !== undefined))) constant = false;
  });
  return constant;
}

function unwrapParens(text: string): string {
  let out = text.trim();
  while (out.startsWith("(") && out.endsWith(")") && balanced(out.slice(1, -1))) out = out.slice(1, -1).trim();
  return out;
}

function balanced(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (const c of text) {
    if (inString) {
      if (c === "'") inString = false;
    } else if (c === "'") inString = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

interface ImplicitJoin {
  name: string;
  table: string;
  a: PrismaModel;
  b: PrismaModel;
  field: PrismaField;
}

/** Prisma's implicit m-n relations: both sides are lists without `fields`; the table is `_<relation name>`, the default name `<A>To<B>` (sorted). */
function implicitManyToMany(list: PrismaModel[], models: Map<string, PrismaModel>): ImplicitJoin[] {
  const out = new Map<string, ImplicitJoin>();
  for (const model of list) {
    for (const field of model.fields) {
      if (!field.relation || !field.list || field.relation.fields.length) continue;
      const other = models.get(field.type);
      if (!other) continue;
      const opposite = other.fields.find((f) => f !== field && f.relation && f.type === model.name && (f.relation.name ?? null) === (field.relation!.name ?? null));
      if (!opposite || !opposite.list || opposite.relation!.fields.length) continue;
      const [a, b] = [model, other].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) as [PrismaModel, PrismaModel];
      const name = field.relation.name ?? `${a.name}To${b.name}`;
      const table = `_${name}`;
      if (!out.has(table)) out.set(table, { name, table, a, b, field });
    }
  }
  return [...out.values()];
}

function positionOf(location: SchemaLocation): Pick<DriftFinding, "line" | "column" | "endLine" | "endColumn"> {
  const { start, end } = location.range.loc;
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

const sameList = (a: readonly (string | null)[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const list = (columns: readonly (string | null)[]) => columns.map((c) => (c === null ? "<expression>" : `"${c}"`)).join(", ");
const sqlAction = (code: string) => (ACTION_NAMES[code] ?? code).replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();

/** Reads schema files again for what the parsed model leaves out (`@@index(type: ...)`, `relationMode`). */
class SchemaTexts {
  private cache = new Map<string, SourceText | null>();

  private text(file: string): SourceText | null {
    if (!this.cache.has(file)) {
      try {
        this.cache.set(file, new SourceText(decodeText(readFileSync(file))));
      } catch {
        this.cache.set(file, null);
      }
    }
    return this.cache.get(file) ?? null;
  }

  /** The index method `@@index(..., type: Gin)` asks for, or null for the default (btree). */
  indexMethod(index: PrismaBlockIndex): string | null {
    const source = this.text(index.location.file);
    if (!source) return null;
    const attribute = source.text.slice(index.location.range.start, index.location.range.end);
    const type = /\btype\s*:\s*(\w+)/.exec(attribute.replace(/"(?:[^"\\]|\\.)*"/g, '""'))?.[1];
    return type ? (own(INDEX_METHODS, type) ?? type.toLowerCase()) : null;
  }

  relationModeIsPrisma(file: string | null): boolean {
    if (!file) return false;
    const source = this.text(file);
    if (!source) return false;
    const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(source.text.replace(/\/\/[^\n]*/g, ""))?.[1] ?? "";
    return /\b(relationMode|referentialIntegrity)\s*=\s*"prisma"/.test(datasource);
  }
}
