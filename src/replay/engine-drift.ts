/**
 * schema-drift's type and default comparison for the databases whose columns Prisma reads into type families
 * (SQLite, MySQL): the field's family (and, where the database has native types, the exact type Prisma creates)
 * against what Prisma's own schema describer reads the column as, and `@default` against the column's default
 * read the same way. Each dialect gives its mapping (src/dialects/<id>/introspect.ts); Postgres compares
 * `format_type` texts and casts defaults in the database instead (src/replay/drift.ts).
 */
import type { PrismaEnum, PrismaField } from "../schema/types.js";
import type { DriftTypes } from "./drift.js";
import type { DbColumn, DbIndex, DbRelation } from "./introspect.js";
import { expectedDefault } from "./prisma-types.js";

/** Prisma's column type families (sql-schema-describer's ColumnTypeFamily). */
export type TypeFamily = "String" | "Int" | "BigInt" | "Float" | "Decimal" | "Boolean" | "DateTime" | "Json" | "Binary" | "Enum" | "Unsupported";

/** The family of each Prisma scalar type (an enum field's is `Enum`, or `String` where enums are text). */
export const SCALAR_FAMILIES: Record<string, TypeFamily> = {
  String: "String",
  Int: "Int",
  BigInt: "BigInt",
  Float: "Float",
  Decimal: "Decimal",
  Boolean: "Boolean",
  DateTime: "DateTime",
  Json: "Json",
  Bytes: "Binary",
};

/** A column's default as Prisma's describer reads it. */
export type EngineDefault = { kind: "none" } | { kind: "now" } | { kind: "value"; text: string } | { kind: "expression"; text: string };

export interface EngineTypeMapping {
  /** The database in messages: "SQLite", "MySQL". */
  database: string;
  /** What Prisma's describer reads the column as. */
  family(column: DbColumn): TypeFamily;
  /**
   * What Prisma creates for a field: its family, and the exact column type where the database has native types
   * (compared with `actualType`); null: a type replay cannot map, not compared.
   */
  expectedType(field: PrismaField, enums: Map<string, PrismaEnum>): { family: TypeFamily; type: string | null; label?: string; values?: string[] } | null;
  /** The column's type in the form `expectedType` gives. */
  actualType(column: DbColumn): string;
  /** The values of an enum column (MySQL `enum('A','B')`), else null. */
  enumValues?(column: DbColumn): string[] | null;
  readDefault(column: DbColumn): EngineDefault;
  /**
   * Whether an auto-increment column without `@default(autoincrement())` is drift. Not on SQLite: Prisma reads
   * every sole INTEGER primary key (the rowid) as auto-increment, with or without AUTOINCREMENT.
   */
  autoIncrementWithoutDefaultDiffers: boolean;
  implicitIndex?(index: DbIndex, table: DbRelation): boolean;
}

export function engineDriftTypes(mapping: EngineTypeMapping): DriftTypes {
  return {
    compareType: (field, column, enums) => compareType(mapping, field, column, enums),
    compareDefault: async (field, column, enums) => compareDefault(mapping, field, column, enums),
    enumTypes: false,
    ...(mapping.implicitIndex ? { implicitIndex: mapping.implicitIndex } : {}),
  };
}

function compareType(mapping: EngineTypeMapping, field: PrismaField, column: DbColumn, enums: Map<string, PrismaEnum>): { expected: string; actual: string } | null {
  const prisma = field.nativeType ? `${field.type} @db.${field.nativeType}` : field.type;
  const actualFamily = mapping.family(column);
  const readAs = (family: TypeFamily) => (family === "Unsupported" ? `Unsupported("${column.type.toLowerCase()}")` : family);
  const unsupported = /^Unsupported\(\s*"((?:[^"\\]|\\.)*)"\s*\)$/.exec(field.type);
  if (unsupported) {
    const squeeze = (t: string) => t.toLowerCase().replace(/\s+/g, " ").replace(/\s*([(),])\s*/g, "$1").trim();
    return squeeze(unsupported[1]!) === squeeze(column.type) ? null : { expected: prisma, actual: column.type };
  }
  const expected = mapping.expectedType(field, enums);
  if (!expected || field.list) return null;
  if (expected.family === "Enum") {
    const values = mapping.enumValues?.(column) ?? null;
    const want = expected.values ?? [];
    if (values && values.length === want.length && want.every((v) => values.includes(v))) return null;
    return { expected: `the enum ${field.type} (${expected.type} in ${mapping.database})`, actual: column.type };
  }
  const same = expected.type !== null ? mapping.actualType(column) === expected.type : actualFamily === expected.family;
  if (same) return null;
  return {
    expected: `${prisma} (${expected.type ?? expected.label ?? `a ${expected.family} column`} in ${mapping.database})`,
    actual: actualFamily === expected.family ? column.type : `${column.type}, which Prisma reads as ${readAs(actualFamily)}`,
  };
}

function compareDefault(mapping: EngineTypeMapping, field: PrismaField, column: DbColumn, enums: Map<string, PrismaEnum>): { expected: string; actual: string } | null {
  const expected = expectedDefault(field, enums);
  const actual = mapping.readDefault(column);
  const actualText = actual.kind === "none" ? (column.autoIncrement ? "is auto-increment" : "has no default") : `has the default ${column.default}`;
  const report = (what: string) => ({ expected: what, actual: actualText });
  switch (expected.kind) {
    case "none":
      if (column.autoIncrement && !mapping.autoIncrementWithoutDefaultDiffers) return null;
      if ((actual.kind === "none" && !column.autoIncrement) || column.generated) return null;
      return report("has no @default");
    case "client":
      return actual.kind === "none" ? null : report(`has @default(${expected.text}), which Prisma Client generates (no database default)`);
    case "autoincrement":
      return column.autoIncrement ? null : report("has @default(autoincrement())");
    case "now":
      return actual.kind === "now" ? null : report("has @default(now()) (CURRENT_TIMESTAMP)");
    case "dbgenerated":
      // Prisma does not diff the expression of a dbgenerated default; only that there is one.
      return actual.kind !== "none" || column.autoIncrement || column.generated ? null : report(`has @default(${field.default})`);
    case "unknown":
      return null;
    case "literal": {
      if (actual.kind !== "value") return report(`has @default(${expected.text})`);
      return sameLiteral(mapping.family(column), actual.text, expected.value) ? null : report(`has @default(${expected.text})`);
    }
  }
}

/** A literal default read from the database equals the schema's value, as the family compares values. */
function sameLiteral(family: TypeFamily, actual: string, expected: string): boolean {
  switch (family) {
    case "Int":
    case "BigInt":
    case "Float":
    case "Decimal": {
      const a = Number(actual);
      const b = Number(expected);
      return Number.isFinite(a) && Number.isFinite(b) ? a === b : actual === expected;
    }
    case "Boolean": {
      const truth = (v: string) => (/^(1|true)$/i.test(v) ? true : /^(0|false)$/i.test(v) ? false : null);
      return truth(actual) !== null && truth(actual) === truth(expected);
    }
    case "Json":
      return canonicalJson(actual) === canonicalJson(expected);
    default:
      return actual === expected;
  }
}

function canonicalJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** A string literal's content: `'it''s'` (or `"..."` where the database allows it) -> `it's`; null when `text` is not one. */
export function unquoteLiteral(text: string): string | null {
  const single = /^'((?:[^']|'')*)'$/s.exec(text);
  if (single) return single[1]!.replace(/''/g, "'");
  const double = /^"((?:[^"]|"")*)"$/s.exec(text);
  return double ? double[1]!.replace(/""/g, '"') : null;
}

/** Prisma's FK actions as pg_constraint codes (what drift and rollback compare), from the SQL words. */
export const ACTION_CODES: Record<string, string> = { "NO ACTION": "a", RESTRICT: "r", CASCADE: "c", "SET NULL": "n", "SET DEFAULT": "d" };
