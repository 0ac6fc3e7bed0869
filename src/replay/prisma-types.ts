/**
 * Prisma's PostgreSQL mapping: what column type, default and foreign-key
 * actions `prisma migrate` creates for a field of schema.prisma.
 *
 * Types are given as Postgres's `format_type` prints them, so they compare
 * with the catalog directly. Source: Prisma schema reference, "Model field
 * scalar types" (PostgreSQL column) and the native type attributes `@db.*`.
 */
import type { PrismaEnum, PrismaField } from "../schema/types.js";

export type ExpectedType =
  | { kind: "exact"; type: string; prisma: string }
  | { kind: "enum"; enum: PrismaEnum; prisma: string }
  | { kind: "unsupported"; type: string; prisma: string }
  /** A type replay cannot map (a composite type, a typo Prisma would reject): not compared. */
  | { kind: "unknown"; prisma: string };

/** Default Postgres type of each Prisma scalar type. */
const SCALAR_DEFAULTS: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** `@db.X(args)` -> format_type text; `null` when the native type is unknown. */
function nativeType(name: string, args: number[]): string | null {
  const [a, b] = args;
  const opt = (n: number | undefined) => (n === undefined ? "" : `(${n})`);
  switch (name) {
    case "Text":
      return "text";
    case "VarChar":
      return `character varying${opt(a)}`;
    case "Char":
      return `character(${a ?? 1})`;
    case "Uuid":
      return "uuid";
    case "Xml":
      return "xml";
    case "Inet":
      return "inet";
    case "Citext":
      return "citext";
    case "Bit":
      return `bit(${a ?? 1})`;
    case "VarBit":
      return `bit varying${opt(a)}`;
    case "Boolean":
      return "boolean";
    case "SmallInt":
      return "smallint";
    case "Integer":
      return "integer";
    case "Oid":
      return "oid";
    case "BigInt":
      return "bigint";
    case "Real":
      return "real";
    case "DoublePrecision":
      return "double precision";
    case "Decimal":
      return a === undefined ? "numeric" : `numeric(${a},${b ?? 0})`;
    case "Money":
      return "money";
    case "Timestamp":
      return `timestamp${opt(a)} without time zone`;
    case "Timestamptz":
      return `timestamp${opt(a)} with time zone`;
    case "Date":
      return "date";
    case "Time":
      return `time${opt(a)} without time zone`;
    case "Timetz":
      return `time${opt(a)} with time zone`;
    case "Json":
      return "json";
    case "JsonB":
      return "jsonb";
    case "ByteA":
      return "bytea";
    default:
      return null;
  }
}

/** The column type `prisma migrate` creates for a scalar field (the element type for lists). */
export function expectedType(field: PrismaField, enums: Map<string, PrismaEnum>): ExpectedType {
  const prisma = field.nativeType ? `${field.type} @db.${field.nativeType}` : field.type;
  const unsupported = /^Unsupported\(\s*"((?:[^"\\]|\\.)*)"\s*\)$/.exec(field.type);
  if (unsupported) return { kind: "unsupported", type: unsupported[1]!, prisma };
  const enumType = enums.get(field.type);
  if (enumType) return { kind: "enum", enum: enumType, prisma };
  if (field.nativeType) {
    const match = /^(\w+)\s*(?:\(([^)]*)\))?$/.exec(field.nativeType.trim());
    if (!match) return { kind: "unknown", prisma };
    const args = (match[2] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (args.some((n) => !Number.isFinite(n))) return { kind: "unknown", prisma };
    const type = nativeType(match[1]!, args);
    return type ? { kind: "exact", type: normalizeType(type), prisma } : { kind: "unknown", prisma };
  }
  const type = SCALAR_DEFAULTS[field.type];
  return type ? { kind: "exact", type: normalizeType(type), prisma } : { kind: "unknown", prisma };
}

/**
 * Canonical form of a `format_type` text for comparison: a timestamp or time
 * without precision stores microseconds, the same as precision 6.
 */
export function normalizeType(type: string): string {
  return type
    .replace(/^(timestamp|time) (with(?:out)? time zone)$/, "$1(6) $2")
    .replace(/\s+/g, " ")
    .trim();
}

const TYPE_ALIASES: Record<string, string> = {
  int: "integer",
  int4: "integer",
  int2: "smallint",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  bool: "boolean",
  varchar: "character varying",
  char: "character",
  bpchar: "character",
  decimal: "numeric",
  timestamptz: "timestamp with time zone",
  timestamp: "timestamp without time zone",
  timetz: "time with time zone",
  time: "time without time zone",
  varbit: "bit varying",
};

/** Loose canonical form of a type written in `Unsupported("...")`, to compare with format_type. */
export function normalizeUnsupported(type: string): string {
  const lower = type.toLowerCase().replace(/\s*\(\s*/g, "(").replace(/\s*,\s*/g, ",").replace(/\s*\)/g, ")").replace(/\s+/g, " ").trim();
  const match = /^([a-z_][a-z0-9_ ]*?)(\(.*\))?(\[\])*$/.exec(lower);
  if (!match) return lower;
  const base = TYPE_ALIASES[match[1]!] ?? match[1]!;
  const mods = match[2] ?? "";
  const arrays = lower.slice((match[1]! + mods).length);
  // `timestamp(3) with time zone`: the modifier goes after the first word
  const spaced = /^(timestamp|time|character varying|bit varying|character|bit)( .*)?$/.exec(base);
  const withMods = spaced && mods ? `${spaced[1]}${mods}${spaced[2] ?? ""}` : `${base}${mods}`;
  return normalizeType(withMods) + arrays;
}

export function normalizeDbTypeForUnsupported(type: string): string {
  return type.toLowerCase().replace(/\s*,\s*/g, ",").replace(/"/g, "");
}

/** `pg_constraint.confdeltype` codes of Prisma's referential actions. */
export const REFERENTIAL_ACTIONS: Record<string, string> = { Cascade: "c", Restrict: "r", NoAction: "a", SetNull: "n", SetDefault: "d" };
export const ACTION_NAMES: Record<string, string> = { c: "Cascade", r: "Restrict", a: "NoAction", n: "SetNull", d: "SetDefault" };

/** The kinds of `@default(...)` Prisma knows. */
export type ExpectedDefault =
  | { kind: "none" }
  | { kind: "autoincrement" }
  | { kind: "now" }
  /** uuid(), cuid(), nanoid(), ulid(): generated by Prisma Client, no database default. */
  | { kind: "client"; text: string }
  | { kind: "dbgenerated"; expression: string | null }
  /**
   * A literal: its value as text (an array literal `{"a","b"}` for lists), to be sent as a bind
   * parameter and cast to the column type; `base64` for Bytes (decoded in Postgres).
   */
  | { kind: "literal"; text: string; value: string; base64?: true }
  | { kind: "unknown"; text: string };

export function expectedDefault(field: PrismaField, enums: Map<string, PrismaEnum>): ExpectedDefault {
  const text = field.default?.trim();
  if (!text) return { kind: "none" };
  if (/^autoincrement\(\s*\)$/.test(text) || /^sequence\(/.test(text)) return { kind: "autoincrement" };
  if (/^now\(\s*\)$/.test(text)) return { kind: "now" };
  if (/^(uuid|cuid|nanoid|ulid)\s*\(.*\)$/s.test(text)) return { kind: "client", text };
  const generated = /^dbgenerated\(\s*(.*?)\s*\)$/s.exec(text);
  if (generated) return { kind: "dbgenerated", expression: generated[1] ? (prismaString(generated[1]) ?? generated[1]) : null };
  const enumType = enums.get(field.type);
  const element = (value: string): string | null => {
    const str = prismaString(value);
    if (str !== null) return str;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return value;
    if (value === "true" || value === "false") return value;
    if (enumType && /^[A-Za-z_]\w*$/.test(value)) return enumType.values.find((v) => v.name === value)?.dbName ?? value;
    return null;
  };
  if (field.list) {
    const items = /^\[(.*)\]$/s.exec(text);
    if (!items) return { kind: "unknown", text };
    const values = splitList(items[1]!).map(element);
    if (values.some((v) => v === null)) return { kind: "unknown", text };
    const literal = `{${(values as string[]).map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
    return { kind: "literal", text, value: literal };
  }
  const value = element(text);
  if (value === null) return { kind: "unknown", text };
  if (field.type === "Bytes" && prismaString(text) !== null) return { kind: "literal", text, value, base64: true };
  return { kind: "literal", text, value };
}

/** The content of a Prisma string literal (`"a\"b"`), or null when `text` is not one. */
function prismaString(text: string): string | null {
  if (!/^"(?:[^"\\]|\\.)*"$/s.test(text)) return null;
  try {
    return JSON.parse(text) as string;
  } catch {
    return text.slice(1, -1).replace(/\\(.)/g, "$1");
  }
}

/** Splits `a, "b,c", C` at top-level commas. */
function splitList(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      current += c;
      if (c === "\\") current += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      current += c;
    } else if (c === ",") {
      out.push(current.trim());
      current = "";
    } else {
      current += c;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Index methods of `@@index(type: ...)`. */
export const INDEX_METHODS: Record<string, string> = { BTree: "btree", Hash: "hash", Gist: "gist", Gin: "gin", SpGist: "spgist", Brin: "brin" };
