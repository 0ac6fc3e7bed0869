/**
 * A snapshot of a database's schema from pg_catalog, in one read-only query:
 * tables (and views, sequences) with their columns, indexes, constraints and
 * triggers; enum types with their ordered values; functions; extensions.
 * Objects that belong to an extension are left out (they come and go with it).
 *
 * Used twice: to compare the schema before a migration with the schema after
 * migration.sql + down.sql (rollback-mismatch), and to compare the replayed (or
 * live) database with schema.prisma (schema-drift).
 */
import { compareCodeUnits } from "../compare.js";
import type { ReplayDb } from "./driver.js";

export interface DbColumn {
  name: string;
  /** `format_type` of the column, e.g. `character varying(255)`, `text[]`, `"Role"`. */
  type: string;
  /** `format_type` of the element type with the column's modifier (the type itself when not an array). */
  elemType: string;
  isArray: boolean;
  /** Name, schema and kind (`b` base, `e` enum, `d` domain, ...) of the element type. */
  typeName: string;
  typeSchema: string;
  typeKind: string;
  notNull: boolean;
  /** `pg_get_expr` of the default, e.g. `'x'::text`, `CURRENT_TIMESTAMP`, `nextval('"User_id_seq"'::regclass)`. */
  default: string | null;
  /** `a` (ALWAYS) or `d` (BY DEFAULT) for identity columns, else empty. */
  identity: string;
  /** `s` for generated (stored) columns, else empty. */
  generated: string;
  /** SQLite and MySQL: the column takes the next number (`AUTOINCREMENT`, `AUTO_INCREMENT`); Postgres has sequences and identity instead. */
  autoIncrement?: boolean;
}

export interface DbIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  method: string;
  /** Key columns in order; null for an expression. */
  columns: Array<string | null>;
  /** Per key column: true when DESC. */
  descending: boolean[];
  partial: boolean;
  /** `pg_get_indexdef`. */
  definition: string;
  /** The constraint this index implements (primary key, unique, exclusion), if any. */
  constraint: string | null;
}

export interface DbConstraint {
  name: string;
  /** `p` primary key, `u` unique, `f` foreign key, `c` check, `x` exclusion, `t` trigger, `n` not-null. */
  type: string;
  /** `pg_get_constraintdef`. */
  definition: string;
  columns: string[];
  references: { schema: string; table: string; columns: string[] } | null;
  /** Foreign-key actions as pg_constraint codes: `a` no action, `r` restrict, `c` cascade, `n` set null, `d` set default. */
  onDelete: string;
  onUpdate: string;
  validated: boolean;
  /** Cloned from a partitioned parent. */
  inherited: boolean;
}

export interface DbRelation {
  oid: number;
  schema: string;
  name: string;
  /** `r` table, `p` partitioned table, `v` view, `m` materialized view, `S` sequence, `f` foreign table. */
  kind: string;
  /** A partition of a partitioned table. */
  partition: boolean;
  columns: DbColumn[];
  indexes: DbIndex[];
  constraints: DbConstraint[];
  triggers: Array<{ name: string; definition: string }>;
  /** View definition (views and materialized views). */
  definition: string | null;
}

export interface DbEnum {
  schema: string;
  name: string;
  values: string[];
}

export interface DbFunction {
  schema: string;
  name: string;
  /** Identity arguments, e.g. `integer, text`. */
  args: string;
  /** md5 of the source and result type: changes when the body changes. */
  hash: string;
}

export interface DbSnapshot {
  /** By `schema.name`. */
  relations: Map<string, DbRelation>;
  enums: Map<string, DbEnum>;
  functions: Map<string, DbFunction>;
  extensions: Set<string>;
}

export const relationKey = (schema: string, name: string) => `${schema}.${name}`;

const USER_SCHEMA = (column: string) => `${column} <> 'information_schema' AND ${column} NOT LIKE 'pg\\_%'`;
const NOT_FROM_EXTENSION = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

const SNAPSHOT_SQL = `
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND ${USER_SCHEMA("n.nspname")}
    AND ${NOT_FROM_EXTENSION("pg_class", "c.oid")}
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'oid', r.oid::int8, 'schema', r.nspname, 'name', r.relname, 'kind', r.relkind, 'partition', r.relispartition,
      'definition', CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid) END)), '[]'::json)
   FROM rels r) AS relations,
  (SELECT coalesce(json_agg(json_build_object(
      'rel', a.attrelid::int8, 'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'elemType', format_type(et.oid, a.atttypmod),
      'isArray', t.oid <> et.oid,
      'typeName', et.typname, 'typeSchema', etn.nspname, 'typeKind', et.typtype,
      'notNull', a.attnotnull, 'default', pg_get_expr(ad.adbin, ad.adrelid),
      'identity', a.attidentity::text, 'generated', a.attgenerated::text) ORDER BY a.attrelid, a.attnum), '[]'::json)
   FROM pg_attribute a
   JOIN pg_type t ON t.oid = a.atttypid
   JOIN pg_type et ON et.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END
   JOIN pg_namespace etn ON etn.oid = et.typnamespace
   LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT oid FROM rels)) AS columns,
  (SELECT coalesce(json_agg(json_build_object(
      'rel', i.indrelid::int8, 'name', ic.relname, 'unique', i.indisunique, 'primary', i.indisprimary,
      'method', am.amname, 'definition', pg_get_indexdef(i.indexrelid), 'partial', i.indpred IS NOT NULL,
      'columns', (SELECT json_agg(a.attname ORDER BY k.ord)
                  FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.ord <= i.indnkeyatts),
      'options', (SELECT json_agg(o.opt ORDER BY o.ord) FROM unnest(i.indoption::int2[]) WITH ORDINALITY AS o(opt, ord) WHERE o.ord <= i.indnkeyatts),
      'constraint', (SELECT co.conname FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x') LIMIT 1)
    )), '[]'::json)
   FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
   WHERE i.indrelid IN (SELECT oid FROM rels)) AS indexes,
  (SELECT coalesce(json_agg(json_build_object(
      'rel', co.conrelid::int8, 'name', co.conname, 'type', co.contype::text, 'definition', pg_get_constraintdef(co.oid),
      'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum),
      'refSchema', rn.nspname, 'refTable', rc.relname,
      'refColumns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(co.confkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum),
      'onDelete', co.confdeltype::text, 'onUpdate', co.confupdtype::text, 'validated', co.convalidated,
      'inherited', co.conparentid <> 0)), '[]'::json)
   FROM pg_constraint co
   LEFT JOIN pg_class rc ON rc.oid = co.confrelid
   LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
   WHERE co.conrelid IN (SELECT oid FROM rels)) AS constraints,
  (SELECT coalesce(json_agg(json_build_object('rel', tg.tgrelid::int8, 'name', tg.tgname, 'definition', pg_get_triggerdef(tg.oid))), '[]'::json)
   FROM pg_trigger tg WHERE NOT tg.tgisinternal AND tg.tgrelid IN (SELECT oid FROM rels)) AS triggers,
  (SELECT coalesce(json_agg(json_build_object('schema', n.nspname, 'name', t.typname,
      'values', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))), '[]'::json)
   FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE t.typtype = 'e' AND ${USER_SCHEMA("n.nspname")} AND ${NOT_FROM_EXTENSION("pg_type", "t.oid")}) AS enums,
  (SELECT coalesce(json_agg(json_build_object('schema', n.nspname, 'name', p.proname,
      'args', pg_get_function_identity_arguments(p.oid),
      'hash', md5(coalesce(p.prosrc, '') || '|' || coalesce(pg_get_function_result(p.oid), '')))), '[]'::json)
   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE ${USER_SCHEMA("n.nspname")} AND ${NOT_FROM_EXTENSION("pg_proc", "p.oid")}) AS functions,
  (SELECT coalesce(json_agg(extname), '[]'::json) FROM pg_extension) AS extensions
`;

interface RawSnapshot {
  relations: Array<{ oid: number; schema: string; name: string; kind: string; partition: boolean; definition: string | null }>;
  columns: Array<DbColumn & { rel: number }>;
  indexes: Array<Omit<DbIndex, "descending" | "columns"> & { rel: number; columns: Array<string | null> | null; options: number[] | null }>;
  constraints: Array<{
    rel: number;
    name: string;
    type: string;
    definition: string;
    columns: string[] | null;
    refSchema: string | null;
    refTable: string | null;
    refColumns: string[] | null;
    onDelete: string;
    onUpdate: string;
    validated: boolean;
    inherited: boolean;
  }>;
  triggers: Array<{ rel: number; name: string; definition: string }>;
  enums: Array<{ schema: string; name: string; values: string[] | null }>;
  functions: DbFunction[];
  extensions: string[];
}

/** Reads the schema of the database. Read-only: one SELECT on the catalogs. */
export async function snapshot(db: ReplayDb): Promise<DbSnapshot> {
  const rows = await db.query<RawSnapshot>(SNAPSHOT_SQL);
  const raw = rows[0]!;
  const byOid = new Map<number, DbRelation>();
  const relations = new Map<string, DbRelation>();
  for (const r of raw.relations) {
    const relation: DbRelation = { ...r, columns: [], indexes: [], constraints: [], triggers: [] };
    byOid.set(r.oid, relation);
    relations.set(relationKey(r.schema, r.name), relation);
  }
  for (const { rel, ...column } of raw.columns) byOid.get(rel)?.columns.push(column);
  for (const { rel, options, columns, ...index } of raw.indexes) {
    const keys = columns ?? [];
    byOid.get(rel)?.indexes.push({ ...index, columns: keys, descending: keys.map((_, i) => ((options?.[i] ?? 0) & 1) === 1) });
  }
  for (const c of raw.constraints) {
    byOid.get(c.rel)?.constraints.push({
      name: c.name,
      type: c.type,
      definition: c.definition,
      columns: c.columns ?? [],
      references: c.refTable ? { schema: c.refSchema ?? "", table: c.refTable, columns: c.refColumns ?? [] } : null,
      onDelete: c.onDelete,
      onUpdate: c.onUpdate,
      validated: c.validated,
      inherited: c.inherited,
    });
  }
  for (const { rel, ...trigger } of raw.triggers) byOid.get(rel)?.triggers.push(trigger);
  for (const relation of relations.values()) {
    relation.indexes.sort((a, b) => compareCodeUnits(a.name, b.name));
    relation.constraints.sort((a, b) => compareCodeUnits(a.name, b.name));
    relation.triggers.sort((a, b) => compareCodeUnits(a.name, b.name));
  }
  const enums = new Map<string, DbEnum>();
  for (const e of raw.enums) enums.set(relationKey(e.schema, e.name), { schema: e.schema, name: e.name, values: e.values ?? [] });
  const functions = new Map<string, DbFunction>();
  for (const f of raw.functions) functions.set(`${relationKey(f.schema, f.name)}(${f.args})`, f);
  return { relations, enums, functions, extensions: new Set(raw.extensions) };
}

/** `"User"` for the public schema (and where the database has no schemas: `""`), `"audit"."User"` elsewhere. */
export function displayName(schema: string, name: string): string {
  return schema === "public" || schema === "" ? `"${name}"` : `"${schema}"."${name}"`;
}
