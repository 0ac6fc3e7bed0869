/**
 * Small readers over libpg-query's JSON AST. Every node is `{ NodeType: body }`;
 * these helpers keep that shape out of the operation builder.
 */
import type { DefaultSpec, QualifiedName, TypeSpec } from "../types.js";

export type AstNode = Record<string, unknown>;
export type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `{ T: body }` -> [T, body]. */
export function unwrap(node: unknown): [string, Body] | [null, null] {
  if (!node || typeof node !== "object") return [null, null];
  const key = Object.keys(node)[0];
  return key ? [key, (node as AstNode)[key] as Body] : [null, null];
}

export function bodyOf(node: unknown, type: string): Body | undefined {
  const [t, body] = unwrap(node);
  return t === type ? body! : undefined;
}

/** `[{ String: { sval } }, ...]` -> ["a", "b"]. */
export function strings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => bodyOf(item, "String")?.sval).filter((s): s is string => typeof s === "string");
}

export function rangeVarName(rv: Body | undefined): QualifiedName {
  return { schema: rv?.schemaname ?? null, name: rv?.relname ?? "" };
}

/** A dotted name list (`["public", "Role"]`) as a qualified name. */
export function qualifiedFromList(names: string[]): QualifiedName {
  if (names.length >= 2) return { schema: names[names.length - 2]!, name: names[names.length - 1]! };
  return { schema: null, name: names[0] ?? "" };
}

/** The serial pseudo-types and the column type they create (serial is no type of its own: the column is int4 with a sequence default). */
const SERIAL_BASE: Record<string, string> = { serial: "int4", serial4: "int4", bigserial: "int8", serial8: "int8", smallserial: "int2", serial2: "int2" };

/** The type a serial pseudo-type creates (`int4` for serial), or undefined for any other type. */
export function serialBase(name: string): string | undefined {
  return Object.hasOwn(SERIAL_BASE, name) ? SERIAL_BASE[name] : undefined;
}

/** A column type as the database stores it: a serial pseudo-type is its integer type (serial is int4 with a sequence default). */
export function storedType(type: TypeSpec): TypeSpec {
  const base = serialBase(type.name);
  return base ? { ...type, name: base, text: base + "[]".repeat(type.arrayDims) } : type;
}

const quoteIfNeeded = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/**
 * A column type as SQL that creates it and as the database stores it: a serial pseudo-type reads as its integer
 * type (`int4`), a user type keeps its case (`"Role"`), modifiers and array dimensions stay (`varchar(255)[]`).
 */
export function typeSql(type: TypeSpec): string {
  const base = serialBase(type.name);
  if (base) return base + "[]".repeat(type.arrayDims);
  const name = (type.schema ? `"${type.schema.replace(/"/g, `""`)}".` : "") + quoteIfNeeded(type.name);
  return name + (type.modifiers.length ? `(${type.modifiers.join(",")})` : "") + "[]".repeat(type.arrayDims);
}

export function typeSpec(typeName: Body | undefined): TypeSpec | null {
  if (!typeName) return null;
  const names = strings(typeName.names);
  const isCatalog = names[0] === "pg_catalog";
  const name = names[names.length - 1] ?? "";
  const schema = !isCatalog && names.length >= 2 ? names[names.length - 2]! : null;
  const modifiers: number[] = [];
  for (const mod of (typeName.typmods as unknown[]) ?? []) {
    const constant = bodyOf(mod, "A_Const");
    const value = constant?.ival?.ival ?? (constant?.ival ? 0 : undefined);
    if (typeof value === "number") modifiers.push(value);
  }
  const arrayDims = Array.isArray(typeName.arrayBounds) ? typeName.arrayBounds.length : 0;
  return internedType(withTypeText({ name, schema, modifiers, arrayDims }));
}

/**
 * One frozen object for every column of the same type: a history names a few dozen types in tens of thousands of
 * columns, and each column kept its own (6 MB of a 5,000-migration history's 66 MB at the end of a lint).
 */
const TYPES = new Map<string, TypeSpec>();
const MAX_TYPES = 4096;

function internedType(type: TypeSpec): TypeSpec {
  // `text` spells schema, name, modifiers and array dimensions; the schema again tells "a.b" from "a"."b"
  const key = `${type.schema ?? ""}\0${type.text}`;
  const known = TYPES.get(key);
  if (known) return known;
  if (TYPES.size >= MAX_TYPES) TYPES.clear(); // a long-lived process (the daemon, the editor) reads unbounded SQL
  Object.freeze(type.modifiers);
  TYPES.set(key, Object.freeze(type));
  return type;
}

/** A type spec with its canonical `text` (`varchar(255)`, `audit.Role[]`) made from its parts. */
export function withTypeText(type: Omit<TypeSpec, "text">): TypeSpec {
  const text = (type.schema ? `${type.schema}.` : "") + type.name + (type.modifiers.length ? `(${type.modifiers.join(",")})` : "") + "[]".repeat(type.arrayDims);
  return { ...type, text };
}

export function isSerialType(type: TypeSpec | null): boolean {
  return !!type && serialBase(type.name) !== undefined;
}

/**
 * Functions whose result does not change within a statement. A default that
 * calls anything else (gen_random_uuid(), clock_timestamp(), random(), a user
 * function: Postgres's default volatility is VOLATILE) is evaluated per row,
 * so ADD COLUMN with it rewrites the table even on Postgres 11+.
 */
const NON_VOLATILE_FUNCTIONS = new Set([
  "now", "current_timestamp", "current_date", "current_time", "localtimestamp", "localtime",
  "transaction_timestamp", "statement_timestamp", "current_user", "current_schema", "session_user",
  "lower", "upper", "length", "coalesce", "concat", "jsonb_build_object", "json_build_object",
  "jsonb_build_array", "json_build_array", "array", "to_jsonb", "to_json", "make_interval",
  "date_trunc", "abs", "round", "nullif", "greatest", "least", "md5", "btrim", "trim",
]);

/** Walks an expression and reports whether it calls a volatile function. */
export function isVolatileExpression(expr: unknown): boolean {
  let volatile = false;
  walk(expr, (type, body) => {
    if (type === "FuncCall") {
      const name = strings(body.funcname).at(-1)?.toLowerCase() ?? "";
      if (!NON_VOLATILE_FUNCTIONS.has(name)) volatile = true;
    } else if (type === "NextValueExpr") volatile = true;
  });
  return volatile;
}

export function defaultSpec(expr: unknown, text: string): DefaultSpec {
  return { text, volatile: isVolatileExpression(expr) };
}

/**
 * Depth-first visit of every `{ Type: body }` node below `node`. The trees are libpg-query's JSON (plain objects):
 * `for...in` visits their own keys in Object.entries' order without making an array of pairs for every node.
 */
export function walk(node: unknown, visit: (type: string, body: Body) => void): void {
  const stack: unknown[] = [node];
  while (stack.length) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (current && typeof current === "object") {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const value = (current as Record<string, unknown>)[key];
        if (value && typeof value === "object") {
          // a node type: a key that starts with a capital letter
          const first = key.charCodeAt(0);
          if (!Array.isArray(value) && first >= 65 && first <= 90) visit(key, value as Body);
          stack.push(value);
        }
      }
    }
  }
}

/** Smallest `location` (byte offset) found in a subtree, or undefined. */
export function firstLocation(node: unknown): number | undefined {
  let min: number | undefined;
  const stack: unknown[] = [node];
  while (stack.length) {
    const current = stack.pop();
    if (Array.isArray(current)) for (const item of current) stack.push(item);
    else if (current && typeof current === "object") {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const value = (current as Record<string, unknown>)[key];
        if (key === "location" && typeof value === "number" && value >= 0) min = min === undefined ? value : Math.min(min, value);
        else if (value && typeof value === "object") stack.push(value);
      }
    }
  }
  return min;
}
