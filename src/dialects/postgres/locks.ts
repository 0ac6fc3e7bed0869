/**
 * What each operation does to a table that serves traffic: the lock it takes,
 * what that lock blocks, and how long it is held. One place for the table in
 * Postgres's docs ("Explicit Locking", ALTER TABLE's notes) so rules agree.
 */
import type { ColumnChange, LockMode, Operation, QualifiedName, TypeSpec } from "../../types.js";
import type { TracedLock } from "../../replay/lock-trace-types.js";

/** How long the lock is held: catalog-only change, full scan, full rewrite, or an index build. */
export type LockDuration = "instant" | "scan" | "rewrite" | "index-build" | "data";

export interface TableLock {
  table: QualifiedName;
  mode: LockMode;
  duration: LockDuration;
}

/** The table locks one statement of a linted migration takes, by this model (LintRun's `projects[].statementLocks`, the HTML report's lock column). */
export interface StatementLocks {
  /** Absolute path of migration.sql. */
  file: string;
  migration: string;
  /** 1-based lines the statement spans. */
  line: number;
  endLine: number;
  locks: Array<{
    /** As messages quote it: `"User"`, `"audit"."User"`. */
    table: string;
    mode: LockMode;
    blocks: ReturnType<typeof blockedBy>;
    duration: LockDuration;
    /** False when the table was created earlier in the same migration (no traffic waits on it yet). */
    existed: boolean;
  }>;
  /** With `--replay`: the locks the statement really took on existing tables, from the lock trace (the CLI adds them for formatters). */
  measured?: { database: string; locks: TracedLock[] };
}

const HELD: Record<LockDuration, string> = { instant: "", scan: "while it scans the table", rewrite: "while it rewrites the table", "index-build": "while it builds the index", data: "while rows change" };

/** What a statement's lock means for traffic, in words (the HTML report, the language server's hover). */
export function lockEffect(lock: StatementLocks["locks"][number]): string {
  if (!lock.existed) return "table created in this migration: no traffic waits on it";
  if (lock.blocks === "nothing") return "reads and writes go on";
  return `blocks ${lock.blocks}${HELD[lock.duration] ? ` ${HELD[lock.duration]}` : ""}`;
}

/** What a lock mode blocks for application traffic. */
export function blockedBy(mode: LockMode): "reads and writes" | "writes" | "nothing" {
  if (mode === "ACCESS EXCLUSIVE") return "reads and writes";
  if (mode === "SHARE" || mode === "SHARE ROW EXCLUSIVE" || mode === "EXCLUSIVE") return "writes";
  return "nothing"; // ROW EXCLUSIVE and weaker, and SHARE UPDATE EXCLUSIVE, let reads and writes through
}

/** Locks at least as strong as SHARE block writes; these are the ones a lock_timeout must guard. */
export function isStrongLock(mode: LockMode): boolean {
  return blockedBy(mode) !== "nothing";
}

export interface LockOptions {
  postgresVersion: number;
  /** Type of the column before a set-type change, when the history knows it. */
  previousType?: TypeSpec | null;
  /** Table of the index a DROP INDEX drops, when the history knows it. */
  indexTable?: QualifiedName | null;
}

/** The table locks an operation takes (empty for operations that touch no existing table). */
export function locksOf(op: Operation, options: LockOptions): TableLock[] {
  const on = (table: QualifiedName, mode: LockMode, duration: LockDuration): TableLock[] => [{ table, mode, duration }];
  switch (op.kind) {
    case "create-table": {
      // a foreign key to an existing table takes SHARE ROW EXCLUSIVE on it
      const referenced = [...op.columns.map((c) => c.references?.table), ...op.constraints.map((c) => c.references?.table)].filter((t): t is QualifiedName => !!t);
      return referenced.map((table) => ({ table, mode: "SHARE ROW EXCLUSIVE", duration: "instant" }));
    }
    case "drop-table":
    case "rename-table":
    case "drop-column":
    case "rename-column":
    case "drop-constraint":
    case "rename-constraint":
      return on(op.table, "ACCESS EXCLUSIVE", "instant");
    case "set-schema":
      return op.object === "table" ? on(op.name, "ACCESS EXCLUSIVE", "instant") : [];
    case "truncate":
      return op.tables.flatMap((t) => on(t, "ACCESS EXCLUSIVE", "instant"));
    case "add-column": {
      const c = op.column;
      const rewrites = c.generated || c.identity || (c.default !== null && (options.postgresVersion < 11 || c.default.volatile));
      const locks = on(op.table, "ACCESS EXCLUSIVE", rewrites ? "rewrite" : c.primaryKey || c.unique ? "index-build" : "instant");
      if (c.references) locks.push({ table: c.references.table, mode: "SHARE ROW EXCLUSIVE", duration: "scan" });
      return locks;
    }
    case "alter-column":
      return on(op.table, "ACCESS EXCLUSIVE", columnChangeDuration(op.change, options));
    case "create-index":
      return on(op.table, op.concurrently ? "SHARE UPDATE EXCLUSIVE" : "SHARE", "index-build");
    case "drop-index":
      // the table is known only through the catalog (options.indexTable)
      return options.indexTable ? on(options.indexTable, op.concurrently ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE", "instant") : [];
    case "add-constraint": {
      const c = op.constraint;
      if (c.kind === "foreign-key") {
        const duration: LockDuration = c.notValid ? "instant" : "scan";
        const locks = on(op.table, "SHARE ROW EXCLUSIVE", duration);
        if (c.references) locks.push({ table: c.references.table, mode: "SHARE ROW EXCLUSIVE", duration });
        return locks;
      }
      if (c.kind === "check" || c.kind === "not-null") return on(op.table, "ACCESS EXCLUSIVE", c.notValid ? "instant" : "scan");
      if (c.kind === "unique" || c.kind === "primary-key" || c.kind === "exclusion") return on(op.table, "ACCESS EXCLUSIVE", c.usingIndex ? "instant" : "index-build");
      return on(op.table, "ACCESS EXCLUSIVE", "instant");
    }
    case "validate-constraint":
      return on(op.table, "SHARE UPDATE EXCLUSIVE", "scan");
    case "data-change":
      return on(op.table, "ROW EXCLUSIVE", "data");
    case "vacuum":
      return op.full ? op.tables.flatMap((t) => on(t, "ACCESS EXCLUSIVE", "rewrite")) : op.tables.flatMap((t) => on(t, "SHARE UPDATE EXCLUSIVE", "scan"));
    case "cluster":
      return op.table ? on(op.table, "ACCESS EXCLUSIVE", "rewrite") : [];
    case "refresh-materialized-view":
      return on(op.view, op.concurrently ? "EXCLUSIVE" : "ACCESS EXCLUSIVE", "rewrite");
    case "reindex":
      return op.target === "table" ? on(op.name, op.concurrently ? "SHARE UPDATE EXCLUSIVE" : "SHARE", "index-build") : [];
    case "attach-partition":
      return [...on(op.table, "SHARE UPDATE EXCLUSIVE", "instant"), ...on(op.partition, "ACCESS EXCLUSIVE", "scan")];
    case "detach-partition":
      return on(op.table, op.concurrently ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE", "instant");
    case "lock-table":
      return op.tables.flatMap((t) => on(t, op.mode, "instant"));
    default:
      return [];
  }
}

function columnChangeDuration(change: ColumnChange, options: LockOptions): LockDuration {
  switch (change.kind) {
    case "set-type":
      if (change.using !== null || !options.previousType || !isBinaryCoercible(options.previousType, change.type)) return "rewrite";
      return changesIndexOpclass(options.previousType, change.type) ? "index-build" : "instant";
    case "set-not-null":
      return "scan";
    default:
      return "instant";
  }
}

const VARCHAR = new Set(["varchar", "text", "bpchar"]);

/** Conversions that keep every value (the cast cannot fail or round). */
const WIDENING: Record<string, string[]> = {
  int2: ["int4", "int8", "numeric", "float8"],
  int4: ["int8", "numeric", "float8"],
  int8: ["numeric"],
  float4: ["float8"],
  timestamp: ["timestamptz"],
  date: ["timestamp", "timestamptz"],
  bpchar: ["text", "varchar"],
  json: ["jsonb"],
  jsonb: ["json"],
};

/** Does every value of `from` convert to `to` unchanged (text, unbounded varchar, or a wider type of the same family)? */
export function widens(from: TypeSpec, to: TypeSpec): boolean {
  return from.arrayDims === to.arrayDims && (to.name === "text" || (WIDENING[from.name]?.includes(to.name) ?? false) || (to.name === "varchar" && !to.modifiers.length));
}

/**
 * Type changes Postgres makes without rewriting the table or rechecking the
 * data (binary-coercible, or a relaxed length/precision): varchar(n) to a
 * longer varchar or text, text to unbounded varchar, numeric(p,s) to a larger
 * precision with the same scale or unconstrained numeric, varbit(n) to a
 * longer varbit, cidr to inet, and the same type.
 */
export function isBinaryCoercible(from: TypeSpec, to: TypeSpec): boolean {
  if (from.arrayDims !== to.arrayDims) return false;
  if (from.name === to.name && from.schema === to.schema && sameModifiers(from, to)) return true;
  const [fromLength] = from.modifiers;
  const [toLength] = to.modifiers;
  if (from.name === "varchar" && to.name === "text") return true;
  if (from.name === "varchar" && to.name === "varchar") return toLength === undefined || (fromLength !== undefined && toLength >= fromLength);
  if (from.name === "text" && to.name === "varchar") return toLength === undefined;
  if (from.name === "numeric" && to.name === "numeric") {
    if (!to.modifiers.length) return true;
    const [fp, fs = 0] = from.modifiers;
    const [tp, ts = 0] = to.modifiers;
    return fp !== undefined && tp !== undefined && tp >= fp && ts === fs;
  }
  if (from.name === "varbit" && to.name === "varbit") return toLength === undefined || (fromLength !== undefined && toLength >= fromLength);
  if (from.name === "cidr" && to.name === "inet") return true;
  return changesIndexOpclass(from, to); // citext's casts from and to text and varchar are WITHOUT FUNCTION
}

/**
 * A binary-coercible change that still rebuilds every index on the column, because the index's operator class
 * changes with the type: text or varchar to citext (case-insensitive comparisons) and back.
 */
export function changesIndexOpclass(from: TypeSpec, to: TypeSpec): boolean {
  if (from.arrayDims || to.arrayDims) return false;
  const textual = (t: TypeSpec) => t.name === "text" || t.name === "varchar";
  return (textual(from) && to.name === "citext") || (from.name === "citext" && textual(to) && !to.modifiers.length);
}

/** Can the change lose or reject existing values (a narrower type, or an arbitrary USING cast)? */
export function isNarrowing(from: TypeSpec | null, to: TypeSpec, using: string | null): boolean {
  if (using !== null) return true;
  if (!from) return false;
  if (isBinaryCoercible(from, to)) return false;
  const [fromLength] = from.modifiers;
  const [toLength] = to.modifiers;
  if (VARCHAR.has(to.name) && toLength !== undefined) return fromLength === undefined || toLength < fromLength || !VARCHAR.has(from.name);
  if (from.name === "numeric" && to.name === "numeric") return true;
  const INTS = ["int2", "int4", "int8"];
  if (INTS.includes(to.name)) return !INTS.includes(from.name) || INTS.indexOf(to.name) < INTS.indexOf(from.name);
  if (from.name === "float8" && to.name === "float4") return true;
  return false;
}

function sameModifiers(a: TypeSpec, b: TypeSpec): boolean {
  return a.modifiers.length === b.modifiers.length && a.modifiers.every((m, i) => m === b.modifiers[i]);
}
