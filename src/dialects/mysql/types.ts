/**
 * What `ALTER TABLE ... MODIFY` does to the values of a column, MySQL's type
 * table (the counterpart of Postgres's binary-coercible / widening table in
 * src/dialects/postgres/locks.ts). A narrowing change fails on the first value
 * that does not fit under a strict sql_mode (MySQL 8's default) and converts it
 * silently under a lax one (truncated, clipped, or '' / 0): MySQL 8.0 reference,
 * "Out-of-Range and Overflow Handling", "The ENUM Type" (invalid values), and
 * "Strict SQL Mode".
 */
import type { TypeSpec } from "../../types.js";
import type { TypeChange } from "../dialect.js";

const INTEGERS = ["tinyint", "smallint", "mediumint", "int", "bigint"];
/** Characters the widest value of each integer type takes as text, sign included. */
const INTEGER_DIGITS: Record<string, number> = { tinyint: 4, smallint: 6, mediumint: 8, int: 11, bigint: 20 };
const CHARS = ["char", "varchar"];
const TEXTS = ["tinytext", "text", "mediumtext", "longtext"];
/** Longest value in characters of each TEXT type (utf8mb4 counts bytes; this is the byte size). */
const TEXT_SIZE: Record<string, number> = { tinytext: 255, text: 65535, mediumtext: 16777215, longtext: 4294967295 };
const TIMES = ["date", "datetime", "timestamp"];

/** The enum or set values of a type written `enum('a','b')`. */
function values(type: TypeSpec): string[] {
  return [...type.text.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

const unsigned = (t: TypeSpec) => /\bunsigned\b/.test(t.text);
/** The type without what MySQL ignores (integer display widths, TIMESTAMP(0) = TIMESTAMP). */
function canonical(t: TypeSpec): string {
  if (INTEGERS.includes(t.name)) return `${t.name}${unsigned(t) ? " unsigned" : ""}`;
  if (TIMES.includes(t.name) || t.name === "time") return `${t.name}(${t.modifiers[0] ?? 0})`;
  if (t.name === "decimal") return `decimal(${t.modifiers[0] ?? 10},${t.modifiers[1] ?? 0})`;
  return t.text;
}

/** The largest number of characters a value of `t` takes as text, or null when unbounded or unknown. */
function textWidth(t: TypeSpec): number | null {
  if (INTEGERS.includes(t.name)) return INTEGER_DIGITS[t.name]! - (unsigned(t) ? 1 : 0);
  if (CHARS.includes(t.name)) return t.modifiers[0] ?? 1;
  if (t.name === "decimal") return (t.modifiers[0] ?? 10) + 2;
  return null;
}

function capacity(t: TypeSpec): number | null {
  if (CHARS.includes(t.name)) return t.modifiers[0] ?? 1;
  if (TEXTS.includes(t.name)) return TEXT_SIZE[t.name]!;
  return null;
}

export function mysqlTypeChange(from: TypeSpec, to: TypeSpec): TypeChange {
  if (canonical(from) === canonical(to)) return { kind: "same", why: "" };
  const widening: TypeChange = { kind: "widening", why: "" };
  if (INTEGERS.includes(from.name) && INTEGERS.includes(to.name)) {
    if (unsigned(from) !== unsigned(to) && !unsigned(to) && INTEGERS.indexOf(to.name) > INTEGERS.indexOf(from.name)) return widening;
    if (unsigned(to) && !unsigned(from)) return { kind: "narrowing", why: "negative values do not fit an unsigned type" };
    if (INTEGERS.indexOf(to.name) >= INTEGERS.indexOf(from.name)) return widening;
    return { kind: "narrowing", why: `values outside the range of ${to.text} do not fit` };
  }
  const fromCap = capacity(from);
  const toCap = capacity(to);
  if (fromCap !== null && toCap !== null) return toCap >= fromCap ? widening : { kind: "narrowing", why: `values longer than ${toCap} characters do not fit` };
  if ((from.name === "enum" || from.name === "set") && from.name === to.name) {
    const before = values(from);
    const after = values(to);
    const removed = before.filter((v) => !after.includes(v));
    if (!removed.length) return widening;
    return { kind: "narrowing", why: `rows holding ${removed.map((v) => `'${v}'`).join(", ")} (${removed.length === 1 ? "a value" : "values"} the new list drops) do not fit` };
  }
  if ((from.name === "enum" || from.name === "set") && (toCap ?? 0) > 0) {
    const longest = Math.max(0, ...values(from).map((v) => v.length));
    return toCap! >= longest * (from.name === "set" ? values(from).length + 1 : 1) ? widening : { kind: "narrowing", why: `values longer than ${toCap} characters do not fit` };
  }
  const width = textWidth(from);
  if (width !== null && toCap !== null && (INTEGERS.includes(from.name) || from.name === "decimal")) return toCap >= width ? widening : { kind: "narrowing", why: `numbers longer than ${toCap} characters do not fit` };
  if (from.name === "decimal" && to.name === "decimal") {
    const [p1 = 10, s1 = 0] = from.modifiers;
    const [p2 = 10, s2 = 0] = to.modifiers;
    return p2 - s2 >= p1 - s1 && s2 >= s1 ? widening : { kind: "narrowing", why: s2 < s1 ? "digits after the decimal point are rounded away" : "values with more integer digits do not fit" };
  }
  if (INTEGERS.includes(from.name) && to.name === "decimal") {
    const [p = 10, s = 0] = to.modifiers;
    return p - s >= INTEGER_DIGITS[from.name]! - 1 ? widening : { kind: "narrowing", why: "values with more digits do not fit" };
  }
  if (from.name === "float" && to.name === "double") return widening;
  if (TIMES.includes(from.name) && TIMES.includes(to.name)) {
    if (to.name === "date" && from.name !== "date") return { kind: "narrowing", why: "the time of day is dropped" };
    if (to.name === "timestamp" && from.name !== "timestamp") return { kind: "narrowing", why: "dates outside 1970-2038 do not fit a TIMESTAMP" };
    if ((to.modifiers[0] ?? 0) < (from.modifiers[0] ?? 0)) return { kind: "narrowing", why: "fractional seconds are rounded" };
    return widening;
  }
  return { kind: "narrowing", why: `values that do not convert to ${to.text} do not fit` };
}
