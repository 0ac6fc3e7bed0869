/** What makes a migration risky: data loss or a blocking lock (for the rules that ask for a plan or a comment), and statements that can fail on production data. */
import { abbreviate, formatName, quoteIdent, quoteName, type RuleContext } from "./rule.js";
import { isBinaryCoercible, isStrongLock, widens } from "../dialects/postgres/locks.js";
import { isSerialType } from "../model/ast.js";
import type { Operation, OperationOf, QualifiedName, Statement, TypeSpec } from "../types.js";

const HELD_FOR = { scan: "a full scan", rewrite: "a full rewrite", "index-build": "an index build", data: "the data change", instant: "" } as const;

/** Why a statement is risky: it destroys data, or holds a write-blocking lock on an existing table for longer than an instant. */
export function riskOf(context: RuleContext<any>, statement: Statement): string | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const op of statement.operations) {
    if (op.kind === "drop-table" && context.existedBefore(op.table) && !(op.ifExists && !context.table(op.table))) return `drops table ${quoteName(op.table)}`;
    if (op.kind === "drop-column" && context.existedBefore(op.table) && context.catalog.getColumn(op.table, op.column)?.addedIn !== context.migration.index) return `drops column "${op.column}" of ${quoteName(op.table)}`;
    if (op.kind === "truncate" && op.tables.some((t) => context.existedBefore(t))) return `truncates ${op.tables.map((t) => quoteName(t)).join(", ")}`;
    if (op.kind === "data-change" && op.action === "delete" && context.existedBefore(op.table)) return `deletes rows of ${quoteName(op.table)}`;
    if (op.kind === "drop-schema") return `drops schema "${op.schema}"`;
    // a constraint or index on a table created in this migration scans nothing that holds data
    if ("table" in op && op.table && !context.existedBefore(op.table)) continue;
    const lock = context.locks(op).find((l) => isStrongLock(l.mode) && l.duration !== "instant" && context.existedBefore(l.table));
    if (lock) return `holds ${/^[AE]/.test(lock.mode) ? "an" : "a"} ${lock.mode} lock on ${quoteName(lock.table)} for ${HELD_FOR[lock.duration]}`;
  }
  return null;
}

/**
 * Prisma's enum recreation: the column moves from enum "X" to "X_new" (renamed to "X" afterwards), or from "X_old"
 * to a new "X" after the old one was renamed away; the target type is created in this migration. Returns the old
 * values the new type drops (null when the history does not know them), or null when the change is no recreation.
 */
export function enumRecreation(context: RuleContext<any>, from: TypeSpec | null, to: TypeSpec): { removed: string[] | null } | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  const target = context.catalog.getEnum({ schema: to.schema, name: to.name });
  if (target?.createdIn !== context.migration.index) return null;
  if (!from) return /_new$/.test(to.name) ? { removed: null } : null;
  const paired = to.name === `${from.name}_new` || from.name === `${to.name}_old` || to.name === from.name;
  if (from.arrayDims !== to.arrayDims || !paired) return null;
  const current = context.catalog.getEnum({ schema: from.schema, name: from.name });
  const old = current && current.createdIn !== context.migration.index ? current : context.catalog.getEnum({ schema: from.schema, name: `${from.name}_old` });
  if (!old && to.name === from.name) return null;
  return { removed: old ? old.values.filter((v) => !target.values.includes(v)) : null };
}

/**
 * What the rows of an existing table hold in `column` when an index or constraint is built over it: values
 * that were there before the migration, NULL everywhere (added in this migration without a default), one
 * value everywhere (a constant default), or distinct values (serial, identity, a volatile default).
 */
/** What the rows hold in `column` when `statement` runs: their own values (existing), or, for a column added in this migration, NULL, one default for all, or distinct values (a sequence). */
export function rowValues(context: RuleContext<any>, statement: Statement, table: QualifiedName, column: string): "existing" | "null" | "same" | "distinct" { // eslint-disable-line @typescript-eslint/no-explicit-any
  // a column added by the same ALTER TABLE is not in the catalog yet
  const addedHere = statement.operations.find((op): op is OperationOf<"add-column"> => op.kind === "add-column" && op.column.name === column)?.column;
  const known = context.catalog.getColumn(table, column);
  const state = addedHere ?? (known?.addedIn === context.migration.index ? known : undefined);
  if (!state) return "existing";
  if (addedHere?.identity || isSerialType(state.type) || state.default?.volatile || /^\s*nextval\s*\(/i.test(state.default?.text ?? "")) return "distinct";
  return state.default && !/^\s*NULL\s*$/i.test(state.default.text) ? "same" : "null";
}

const TEXT_TYPES = new Set(["text", "varchar", "bpchar"]);

const columnList = (columns: string[]) => columns.map((c) => `"${c}"`).join(", ");

/** A key, unique index or foreign key that held on the rows before a statement (still in the catalog, or dropped earlier in the migration). */
export interface PriorKey {
  table: string;
  name: string;
  kind: "unique" | "foreign-key";
  columns: string[];
}

export interface FailureContext {
  /** The lock_timeout / statement_timeout in force, as text for the message ("lock_timeout = '5s' (line 1)"), or null. */
  timeout: string | null;
  /** Validated keys and foreign keys dropped earlier in the migration (see recordDrops). */
  dropped: PriorKey[];
}

/** Adds the keys, unique indexes and foreign keys a statement drops to `dropped`; call it before the statement is applied (in a Statement visitor). */
export function recordDrops(context: RuleContext<any>, statement: Statement, dropped: PriorKey[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const op of statement.operations) {
    if (op.kind === "drop-constraint") {
      const c = context.table(op.table)?.constraints.get(op.name);
      const kind = c?.kind === "foreign-key" ? "foreign-key" : c?.kind === "unique" || c?.kind === "primary-key" ? "unique" : null;
      if (c && kind && !c.notValid) dropped.push({ table: formatName(op.table), name: op.name, kind, columns: c.columns });
    } else if (op.kind === "drop-index") {
      const index = context.catalog.getIndex(op.index);
      if (index?.unique) dropped.push({ table: formatName({ schema: op.index.schema, name: index.table }), name: index.name, kind: "unique", columns: index.columns });
    }
  }
}

/** An UPDATE of the table earlier in the migration: the author reworked the rows before a unique key (de-duplicated them: spacedrive's 20240517045456). */
export function updatedBefore(context: RuleContext<any>, statement: Statement, table: QualifiedName): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
  return context.migration.file.statements.some((s) => s.index < statement.index && s.operations.some((o) => o.kind === "data-change" && o.action === "update" && o.table.name === table.name && (o.table.schema ?? null) === (table.schema ?? null)));
}

/** Why a unique index or key over `columns` of an existing table can fail, or null when the rows cannot collide. */
/**
 * A unique key the table already has covers a subset of `columns` (a unique constraint, primary key or
 * unique index: MySQL keeps its unique keys as indexes), so a new unique key over `columns` has no
 * duplicates to fail on.
 */
export function uniqueBefore(context: RuleContext<any>, table: QualifiedName, columns: string[]): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
  const state = context.table(table);
  if (!state) return false;
  const keys = [
    ...[...state.constraints.values()].filter((c) => (c.kind === "unique" || c.kind === "primary-key") && !c.notValid).map((c) => c.columns),
    ...[...context.catalog.indexes()].filter((i) => i.unique && i.table === state.name && i.schema === state.schema).map((i) => i.columns),
    // a table rebuilt in this migration: the keys its rows held when they were copied (SQLite recreates the indexes after)
    ...(state.copiedKeys?.migration === context.migration.index ? state.copiedKeys.keys : []),
  ];
  return keys.some((k) => k.length > 0 && k.every((c) => columns.includes(c)));
}

function uniqueFailure(context: RuleContext<any>, statement: Statement, dropped: PriorKey[], table: QualifiedName, columns: string[], primaryKey: boolean, what: string): string | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!context.existedBefore(table) || !columns.length) return null;
  const values = columns.map((c) => rowValues(context, statement, table, c));
  // NULLs never collide in a unique index; a key column that is NULL everywhere fails on the first row (a key is NOT NULL)
  if (!primaryKey && values.includes("null")) return null;
  // a superset of columns that were unique before (a key widened by Prisma: DROP INDEX + CREATE UNIQUE INDEX) has no duplicates
  const name = formatName(table);
  const wasUnique = uniqueBefore(context, table, columns) || updatedBefore(context, statement, table) || dropped.some((k) => k.kind === "unique" && k.table === name && k.columns.length > 0 && k.columns.every((c) => columns.includes(c)));
  const duplicates = !wasUnique && !(values.includes("distinct") && !values.includes("null"));
  const nulls = primaryKey && columns.some((c, i) => values[i] === "null" || (values[i] === "existing" && !context.catalog.getColumn(table, c)?.notNull));
  if (!duplicates && !nulls) return null;
  return `${what} over ${columnList(columns)} of ${quoteName(table)}, which fails if existing rows hold ${duplicates ? `duplicate${nulls ? " or NULL" : ""}` : "NULL"} values`;
}

/**
 * Why a statement can fail on production data (rows that violate a new constraint, values a cast rejects,
 * NULLs, duplicates) or on a timeout set earlier in the file, although it applies cleanly on an empty
 * development database; null when it cannot (on tables created in this migration or proven empty by an
 * earlier statement, on columns it adds without values that could break it, on keys the rows already
 * satisfied). CONCURRENTLY statements are concurrently-in-transaction's business.
 */
export function failureOf(context: RuleContext<any>, statement: Statement, { timeout, dropped }: FailureContext): string | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  // a table the statement itself creates holds no rows (MySQL's CREATE TABLE carries its indexes as operations of their own)
  const created = statement.operations.flatMap((op) => (op.kind === "create-table" ? [formatName(op.table)] : []));
  for (const op of statement.operations) {
    if ("table" in op && op.table && (provenEmpty(context, statement, op.table) || created.includes(formatName(op.table)))) continue;
    const why = operationFailure(context, statement, op, dropped);
    if (why) return why;
  }
  if (!timeout) return null;
  const locked = statement.operations.flatMap((op) => context.locks(op)).find((l) => context.existedBefore(l.table));
  return locked ? `waits for ${/^[AE]/.test(locked.mode) ? "an" : "a"} ${locked.mode} lock on ${quoteName(locked.table)} under ${timeout}, and fails when the wait runs out` : null;
}

/** By file: the first statement that adds a NOT NULL column without a default to each table (formatName). */
const requiredColumnAt = new WeakMap<object, Map<string, number>>();

/** An earlier statement of the file added a NOT NULL column without a default to the table: it got past that only if the table was empty. */
function provenEmpty(context: RuleContext<any>, statement: Statement, table: QualifiedName): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
  // MySQL fills the rows instead of failing: a table that took such a column may still hold rows
  if (!context.project.capabilities.has("not-null-check")) return false;
  const file = context.migration.file;
  let first = requiredColumnAt.get(file);
  if (!first) {
    first = new Map();
    for (const s of file.statements) {
      for (const op of s.operations) {
        if (op.kind === "add-column" && op.column.notNull && !op.column.default && !op.column.identity && !op.column.generated && !first.has(formatName(op.table))) first.set(formatName(op.table), s.index);
      }
    }
    requiredColumnAt.set(file, first);
  }
  return (first.get(formatName(table)) ?? Infinity) < statement.index;
}

function operationFailure(context: RuleContext<any>, statement: Statement, op: Operation, dropped: PriorKey[]): string | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!("table" in op) || !op.table || !context.existedBefore(op.table)) return null;
  const table = quoteName(op.table);
  switch (op.kind) {
    case "add-column": {
      const c = op.column;
      if (c.primaryKey || c.unique) return uniqueFailure(context, statement, dropped, op.table, [c.name], c.primaryKey, `adds column "${c.name}" with a ${c.primaryKey ? "primary key" : "unique constraint"}, which builds a unique index`);
      // where the database fills the rows instead (MySQL's zero value), mysql-zero-fill says what happens
      if (c.notNull && !c.default && !c.identity && !c.generated && context.project.capabilities.has("not-null-check")) return `adds NOT NULL column "${c.name}" to ${table} without a default, which fails if ${table} has any row`;
      if (c.references && c.default && !/^\s*NULL\s*$/i.test(c.default.text)) return `adds column "${c.name}" to ${table} with a foreign key and the default ${abbreviate(c.default.text, 40)}, which fails unless that value exists in ${quoteName(c.references.table)}`;
      return null;
    }
    case "alter-column": {
      if (op.change.kind === "set-not-null") {
        if (!context.project.capabilities.has("not-null-check")) return null; // MySQL: fails or fills by sql_mode, mysql-zero-fill's finding
        const column = context.catalog.getColumn(op.table, op.column);
        if (column?.notNull || (column?.addedIn === context.migration.index && column.default)) return null;
        return `sets NOT NULL on ${table}."${op.column}", which fails if any row holds NULL`;
      }
      if (op.change.kind !== "set-type") return null;
      const from = context.catalog.getColumn(op.table, op.column)?.type ?? null;
      const to = op.change.type;
      const recreated = enumRecreation(context, from, to);
      if (recreated) {
        if (recreated.removed && !recreated.removed.length) return null;
        const removed = recreated.removed ? ` without ${recreated.removed.map((v) => `'${v}'`).join(", ")}` : "";
        return `moves ${table}."${op.column}" to the recreated enum "${to.name}"${removed}, which fails if a row still holds a removed value`;
      }
      // a dialect with its own type table says which values may not fit
      const verdict = from ? context.typeChange(from, to) : undefined;
      if (verdict) return verdict.kind === "narrowing" ? `converts ${table}.${quoteIdent(op.column)} from ${from!.text} to ${to.text}, which fails where ${verdict.why}` : null;
      // an unknown previous type is not guessed at: only a known conversion that can reject values counts
      if (!from || (op.change.using === null && isBinaryCoercible(from, to)) || widens(from, to)) return null;
      const target = context.catalog.getEnum({ schema: to.schema, name: to.name });
      if (target && !TEXT_TYPES.has(from.name)) {
        // enum to enum: only values the target lacks fail (and a source enum the history does not know is not guessed at)
        const source = context.catalog.getEnum({ schema: from.schema, name: from.name });
        if (!source || source.values.every((v) => target.values.includes(v))) return null;
      }
      return `converts ${table}."${op.column}" from ${from.text} to ${to.text}${op.change.using ? ` USING ${abbreviate(op.change.using, 40)}` : ""}, which fails on values that do not convert`;
    }
    case "add-constraint": {
      const c = op.constraint;
      const name = c.name ? ` "${c.name}"` : "";
      if (c.kind === "unique" || c.kind === "primary-key") return c.usingIndex ? null : uniqueFailure(context, statement, dropped, op.table, c.columns, c.kind === "primary-key", `builds the ${c.kind === "unique" ? "unique constraint" : "primary key"}${name}`);
      if (c.notValid) return null;
      if (c.kind === "foreign-key") {
        // Prisma changes a relation's ON DELETE / ON UPDATE as DROP CONSTRAINT + ADD CONSTRAINT under the same name
        // (named after its columns): the rows passed the old key on the same columns
        const same = (d: PriorKey) => d.kind === "foreign-key" && d.table === formatName(op.table) && d.name === c.name && d.columns.length === c.columns.length && d.columns.every((col, i) => col === c.columns[i]);
        if (dropped.some(same)) return null;
        // MATCH SIMPLE: a row with a NULL in any key column passes, so a key over a column added NULL everywhere cannot fail
        if (c.columns.some((col) => rowValues(context, statement, op.table, col) === "null")) return null;
        return `validates the foreign key${name} on every row of ${table}, which fails if a row references a missing ${quoteName(c.references?.table ?? op.table)} row`;
      }
      if (c.kind === "check" || c.kind === "exclusion" || c.kind === "not-null") return `validates the ${c.kind === "not-null" ? "NOT NULL constraint" : c.kind === "check" ? "CHECK constraint" : "exclusion constraint"}${name} on every row of ${table}, which fails if a row violates it`;
      return null;
    }
    case "validate-constraint":
      return `validates "${op.name}" on every row of ${table}, which fails if a row violates it`;
    case "create-index":
      return op.unique && !op.concurrently ? uniqueFailure(context, statement, dropped, op.table, op.columns, false, `builds the unique index${op.name ? ` "${op.name}"` : ""}`) : null;
    default:
      return null;
  }
}
