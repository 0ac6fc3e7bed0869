/**
 * The history catalog and a database snapshot (src/replay/introspect.ts) in one
 * comparable shape: tables with their columns (type, NOT NULL) and constraints,
 * the indexes that back no constraint, and enums with their values.
 */
import { Catalog, DEFAULT_SCHEMA } from "../../src/history/catalog.js";
import type { DbSnapshot } from "../../src/replay/introspect.js";
import type { TypeSpec } from "../../src/types.js";

/** What both sides can say about a schema, in one comparable shape. */
export interface Shape {
  tables: Record<string, { columns: Record<string, string>; constraints: Record<string, string> }>;
  indexes: Record<string, string>;
  enums: Record<string, string[]>;
}

const SERIALS: Record<string, string> = { serial: "int4", serial4: "int4", bigserial: "int8", serial8: "int8", smallserial: "int2", serial2: "int2" };
const KINDS: Record<string, string> = { p: "primary-key", u: "unique", f: "foreign-key", c: "check", x: "exclusion" };

function catalogType(catalog: Catalog, type: TypeSpec | null): string {
  if (!type) return "?";
  const userType = type.schema !== null || !!catalog.getEnum({ schema: null, name: type.name });
  const name = userType ? `${type.schema ?? DEFAULT_SCHEMA}.${type.name}` : SERIALS[type.name] ?? type.name;
  return `${name}${type.modifiers.length ? `(${type.modifiers.join(",")})` : ""}${"[]".repeat(type.arrayDims)}`;
}

export function catalogShape(catalog: Catalog): Shape {
  const shape: Shape = { tables: {}, indexes: {}, enums: {} };
  for (const t of catalog.tables()) {
    if (t.schema === "pg_temp") continue; // the introspection leaves the session's temporary schema out too
    const columns = Object.fromEntries([...t.columns.values()].map((c) => [c.name, `${catalogType(catalog, c.type)}${c.notNull ? " not null" : ""}`]));
    const constraints = Object.fromEntries([...t.constraints.values()].map((c) => [c.name, `${c.kind}(${c.columns.join(",")})`]));
    shape.tables[`${t.schema}.${t.name}`] = { columns, constraints };
  }
  const snap = catalog.snapshot();
  for (const i of snap.indexes) if (i.schema !== "pg_temp") shape.indexes[`${i.schema}.${i.name}`] = `${i.unique ? "unique " : ""}${i.table}(${i.columns.join(",")})`;
  for (const e of catalog.enums()) shape.enums[`${e.schema}.${e.name}`] = e.values;
  return shape;
}

export function postgresShape(db: DbSnapshot): Shape {
  const shape: Shape = { tables: {}, indexes: {}, enums: {} };
  for (const r of db.relations.values()) {
    if (r.kind !== "r" && r.kind !== "p") continue;
    const columns = Object.fromEntries(
      r.columns.map((c) => {
        const name = c.typeSchema === "pg_catalog" ? c.typeName : `${c.typeSchema}.${c.typeName}`;
        const modifiers = /\(([\d,]+)\)/.exec(c.elemType)?.[0] ?? "";
        return [c.name, `${name}${modifiers}${c.isArray ? "[]" : ""}${c.notNull ? " not null" : ""}`];
      }),
    );
    // Postgres 18 lists NOT NULL as constraints too; the catalog keeps them on the column
    const constraints = Object.fromEntries(r.constraints.filter((c) => KINDS[c.type]).map((c) => [c.name, `${KINDS[c.type]}(${c.columns.join(",")})`]));
    shape.tables[`${r.schema}.${r.name}`] = { columns, constraints };
    // indexes behind a constraint are the constraint's (the catalog keeps them there)
    for (const i of r.indexes) if (!i.constraint) shape.indexes[`${r.schema}.${i.name}`] = `${i.unique ? "unique " : ""}${r.name}(${i.columns.map((c) => c ?? "(expression)").join(",")})`;
  }
  for (const e of db.enums.values()) shape.enums[`${e.schema}.${e.name}`] = e.values;
  return shape;
}
