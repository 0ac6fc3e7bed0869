/**
 * What a column type change does to the values on SQLite, where it happens only in a table rebuild: the copy
 * (`INSERT INTO "new_X" ... SELECT`) stores each value under the new column's type affinity, which converts it
 * only where the conversion is lossless and otherwise keeps it as it is (https://www.sqlite.org/datatype3.html,
 * "Type Affinity"; measured on sql.js, SQLite 3.54: '123' into INTEGER becomes 123, 'abc' stays 'abc', 1.5
 * stays 1.5). Nothing is lost and nothing fails; what breaks is Prisma Client reading a kept value as the new
 * type (P2023 "Inconsistent column data: Could not convert value ...": prisma-engines#1501, prisma/orm#23663),
 * or an Int beyond 32 bits ("does not fit in an INT column").
 */
import type { TypeSpec } from "../../types.js";
import type { TypeChange } from "../dialect.js";

type Affinity = "integer" | "text" | "blob" | "real" | "numeric";

/** SQLite's affinity of a declared type, by its five rules in order. */
export function affinityOf(type: TypeSpec): Affinity {
  const name = type.text.toUpperCase();
  if (name.includes("INT")) return "integer";
  if (/CHAR|CLOB|TEXT/.test(name)) return "text";
  if (name.includes("BLOB") || name.trim() === "") return "blob";
  if (/REAL|FLOA|DOUB/.test(name)) return "real";
  return "numeric";
}

/** What kept values look like under each target affinity, for the message. */
const KEPT: Record<Affinity, string> = {
  integer: "text that is not a whole number and numbers with a fraction stay stored as they are",
  real: "text that is not a number stays stored as text",
  numeric: "text that is not a number stays stored as text",
  text: "BLOB values stay stored as BLOBs",
  blob: "every value stays stored as it was (text stays text)",
};

export function sqliteTypeChange(from: TypeSpec, to: TypeSpec, column?: { primaryKey: boolean }): TypeChange {
  if (from.text.toLowerCase() === to.text.toLowerCase()) return { kind: "same", why: "" };
  const source = affinityOf(from);
  const target = affinityOf(to);
  const widening: TypeChange = { kind: "widening", why: "" };
  // an INTEGER PRIMARY KEY is the rowid: a value that is not an integer fails the copy ("datatype mismatch", measured)
  if (column?.primaryKey && to.text.toUpperCase() === "INTEGER" && source !== "integer") return { kind: "narrowing", why: "the column is the table's INTEGER PRIMARY KEY (its rowid), which takes integers only (any other value: datatype mismatch)", fails: true };
  // no affinity converts a BLOB
  if (source === "blob" && target !== "blob") return { kind: "narrowing", why: "BLOB values stay stored as BLOBs", fails: false };
  // Prisma's Int is INTEGER (32 bits read), BigInt is BIGINT: both INTEGER affinity, 64 bits stored
  if (source === "integer" && target === "integer") {
    return /BIG/i.test(from.text) && !/BIG/i.test(to.text) ? { kind: "narrowing", why: "values beyond 32 bits stay stored as they are, and Prisma Client cannot read them as Int", fails: false } : widening;
  }
  if (target === "text" && source !== "blob") return widening; // every number has a text form
  if ((target === "real" || target === "numeric") && (source === "integer" || source === "real" || source === "numeric") && !/BOOL|DATE|TIME/i.test(to.text)) return widening;
  return { kind: "narrowing", why: KEPT[target], fails: false };
}
