/**
 * Lock trace: which table locks each statement of a migration takes on
 * tables that existed before the migration, as Postgres itself reports them.
 *
 * The statements run one at a time inside ONE explicit transaction that is
 * rolled back at the end (the migration is then applied for real, as a whole
 * script). After each statement replay reads `pg_locks` for its own backend,
 * the table's `relfilenode` (a change means the table was rewritten) and
 * `pg_stat_xact_user_tables` (scans this transaction made: index builds,
 * constraint validation). Each statement runs under a savepoint so that one
 * that fails, or refuses a transaction block (CONCURRENTLY), is recorded as
 * "not traced" and the trace goes on.
 *
 * Postgres keeps one lock entry per table and mode per transaction, so a
 * statement that takes a mode an earlier statement of the same migration
 * already holds shows no new entry; such locks are filled in from the static
 * lock model (src/dialects/postgres/locks.ts) and marked `alreadyHeld`.
 */
import { compareCodeUnits } from "../compare.js";
import { lineColumns } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import { blockedBy, locksOf } from "../dialects/postgres/locks.js";
import type { LockMode, Operation, ParsedSqlFile, Statement } from "../types.js";
import { dbError, type ReplayDb } from "./driver.js";
import { displayName } from "./introspect.js";
import { replayMessage } from "./messages.js";
import type { LockTraceEntry, TracedLock } from "./lock-trace-types.js";

export type { LockTraceEntry, TracedLock } from "./lock-trace-types.js";

const MODES: Record<string, LockMode> = {
  AccessShareLock: "ACCESS SHARE",
  RowShareLock: "ROW SHARE",
  RowExclusiveLock: "ROW EXCLUSIVE",
  ShareUpdateExclusiveLock: "SHARE UPDATE EXCLUSIVE",
  ShareLock: "SHARE",
  ShareRowExclusiveLock: "SHARE ROW EXCLUSIVE",
  ExclusiveLock: "EXCLUSIVE",
  AccessExclusiveLock: "ACCESS EXCLUSIVE",
};
const STRENGTH: LockMode[] = Object.values(MODES);

interface TableInfo {
  schema: string;
  name: string;
}

/** Tables (plain, partitioned, materialized views) in user schemas, by oid. */
export async function existingTables(db: ReplayDb): Promise<Map<number, TableInfo>> {
  const rows = await db.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`,
  );
  return new Map(rows.map((r) => [Number(r.oid), { schema: r.schema, name: r.name }]));
}

interface LockState {
  held: Set<string>;
  scans: Map<number, number>;
  files: Map<number, number>;
}

async function lockState(db: ReplayDb, oids: string): Promise<LockState> {
  const rows = await db.query<{ locks: Array<{ oid: number; mode: string }>; scans: Array<{ oid: number; scans: number }>; files: Array<{ oid: number; file: number }> }>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_object('oid', l.relation::int8, 'mode', l.mode)), '[]'::json)
        FROM pg_locks l WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND l.granted
          AND l.relation = ANY($1::oid[])) AS locks,
       (SELECT coalesce(json_agg(json_build_object('oid', s.relid::int8, 'scans', coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0))), '[]'::json)
        FROM pg_stat_xact_user_tables s WHERE s.relid = ANY($1::oid[])) AS scans,
       (SELECT coalesce(json_agg(json_build_object('oid', c.oid::int8, 'file', c.relfilenode::int8)), '[]'::json)
        FROM pg_class c WHERE c.oid = ANY($1::oid[])) AS files`,
    [oids],
  );
  const row = rows[0]!;
  return {
    held: new Set(row.locks.map((l) => `${l.oid}:${l.mode}`)),
    scans: new Map(row.scans.map((s) => [Number(s.oid), Number(s.scans)])),
    files: new Map(row.files.map((f) => [Number(f.oid), Number(f.file)])),
  };
}

export interface TraceResult {
  entries: LockTraceEntry[];
  warnings: LintMessage[];
}

const SAVEPOINT = "migration_lint_trace";

/**
 * Traces one migration. Leaves the database as it found it (everything runs in
 * a transaction that is rolled back). `before` is `existingTables()` read
 * before the migration.
 */
export async function traceMigration(db: ReplayDb, migration: string, file: ParsedSqlFile, before: Map<number, TableInfo>, postgresVersion: number, notRun: ReadonlyMap<number, string> = new Map()): Promise<TraceResult> {
  const entries: LockTraceEntry[] = [];
  const warnings: LintMessage[] = [];
  const oids = `{${[...before.keys()].join(",")}}`;
  const tableName = (oid: number) => {
    const t = before.get(oid)!;
    return displayName(t.schema, t.name);
  };
  const entry = (statement: Statement, locks: TracedLock[], note?: string): LockTraceEntry => ({
    migration,
    file: file.path,
    line: statement.range.loc.start.line,
    statement: shorten(statement.text),
    locks,
    ...(note ? { note } : {}),
  });

  if (before.size === 0) {
    // Nothing existed before: no statement can lock an existing table.
    for (const statement of file.statements) entries.push(entry(statement, []));
    return { entries, warnings };
  }

  await db.exec("BEGIN");
  try {
    let state = await lockState(db, oids);
    for (const statement of file.statements) {
      if (statement.nodeType === "TransactionStmt") {
        entries.push(entry(statement, [], "not traced: transaction control (the trace runs the statements inside its own transaction)"));
        continue;
      }
      const refused = notRun.get(statement.range.start);
      if (refused !== undefined) {
        entries.push(entry(statement, [], `not traced: not run on a real server: ${refused}`));
        continue;
      }
      await db.exec(`SAVEPOINT ${SAVEPOINT}`);
      try {
        await db.exec(statement.text);
      } catch (err) {
        await db.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        const e = dbError(err);
        if (!e) throw err;
        const note =
          e.code === "25001"
            ? `not traced: ${e.message}; the trace runs each statement inside a transaction, which Postgres refuses for this one (it takes SHARE UPDATE EXCLUSIVE or weaker by design, and cannot run in a multi-statement migration file either)`
            : `not traced: the statement failed inside the trace transaction: ${e.message}${e.code ? ` (SQLSTATE ${e.code})` : ""}`;
        entries.push(entry(statement, [], note));
        continue;
      }
      await db.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      const next = await lockState(db, oids);

      const locks: TracedLock[] = [];
      const rewritten = new Set<number>();
      const scanned = new Set<number>();
      for (const [oid, file] of state.files) {
        const now = next.files.get(oid);
        if (now !== undefined && now !== file && now !== 0) rewritten.add(oid);
      }
      for (const oid of before.keys()) if ((next.scans.get(oid) ?? 0) > (state.scans.get(oid) ?? 0)) scanned.add(oid);

      for (const key of next.held) {
        if (state.held.has(key)) continue;
        const [oidText, pgMode] = key.split(":") as [string, string];
        const oid = Number(oidText);
        const mode = MODES[pgMode];
        if (!mode) continue;
        locks.push({ table: tableName(oid), mode, blocks: blockedBy(mode), ...(rewritten.has(oid) ? { rewrite: true } : {}) });
      }
      for (const held of reacquired(statement, state.held, next.held, before, postgresVersion)) {
        if (!locks.some((l) => l.table === tableName(held.oid) && l.mode === held.mode)) {
          locks.push({ table: tableName(held.oid), mode: held.mode, blocks: blockedBy(held.mode), ...(rewritten.has(held.oid) ? { rewrite: true } : {}), alreadyHeld: true });
        }
      }
      locks.sort((a, b) => compareCodeUnits(a.table, b.table) || STRENGTH.indexOf(b.mode) - STRENGTH.indexOf(a.mode));
      entries.push(entry(statement, locks));

      // A warning when the statement holds a lock that blocks writes on an
      // existing table while doing work proportional to a table's size.
      const busy: Array<{ oid: number; what: "rewrite" | "scan" }> = [
        ...[...rewritten].map((oid) => ({ oid, what: "rewrite" as const })),
        ...[...scanned].filter((oid) => !rewritten.has(oid)).map((oid) => ({ oid, what: "scan" as const })),
      ];
      if (busy.length) {
        for (const lock of strongestPerTable(locks)) {
          if (lock.blocks === "nothing") continue;
          const work = busy.map((b) => `${b.what === "rewrite" ? "rewrites" : "scans"} ${tableName(b.oid)}`).join(" and ");
          warnings.push(
            replayMessage({
              ruleId: "lock-trace",
              severity: 1,
              message: `Postgres took ${lock.mode} on ${lock.table} (blocks ${lock.blocks}) for this statement, which ${work} while holding it: on a large table, ${lock.blocks === "writes" ? "writes wait" : "reads and writes wait"} for the whole ${busy.some((b) => b.what === "rewrite") ? "rewrite" : "scan"}.`,
              help: helpFor(statement),
              position: lineColumns(statement.range),
              key: [migration, "lock-trace", lock.table, lock.mode, statement.text],
              migration,
            }),
          );
        }
      }
      state = next;
    }
  } finally {
    await db.exec("ROLLBACK");
  }
  return { entries, warnings };
}

/** Locks the static model says the statement takes on existing tables that an earlier statement of this transaction already holds. */
function reacquired(statement: Statement, heldBefore: Set<string>, heldAfter: Set<string>, before: Map<number, TableInfo>, postgresVersion: number): Array<{ oid: number; mode: LockMode }> {
  const out: Array<{ oid: number; mode: LockMode }> = [];
  for (const op of statement.operations) {
    let modelled;
    try {
      modelled = locksOf(op as Operation, { postgresVersion });
    } catch {
      continue;
    }
    for (const lock of modelled) {
      for (const [oid, table] of before) {
        if (table.name !== lock.table.name || (lock.table.schema !== null && lock.table.schema !== table.schema)) continue;
        const pgMode = Object.keys(MODES).find((k) => MODES[k] === lock.mode)!;
        const key = `${oid}:${pgMode}`;
        if (heldBefore.has(key) && heldAfter.has(key)) out.push({ oid, mode: lock.mode });
      }
    }
  }
  return out;
}

function strongestPerTable(locks: TracedLock[]): TracedLock[] {
  const best = new Map<string, TracedLock>();
  for (const lock of locks) {
    const current = best.get(lock.table);
    if (!current || STRENGTH.indexOf(lock.mode) > STRENGTH.indexOf(current.mode)) best.set(lock.table, lock);
  }
  return [...best.values()];
}

function helpFor(statement: Statement): string {
  const kinds = new Set(statement.operations.map((op) => op.kind));
  if (kinds.has("create-index")) return "Build the index with CREATE INDEX CONCURRENTLY, alone in its own migration (it then takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through).";
  if (kinds.has("add-constraint")) return "Add the constraint NOT VALID (no scan), then VALIDATE CONSTRAINT in a later migration: validation takes SHARE UPDATE EXCLUSIVE and lets writes through.";
  if (kinds.has("alter-column")) return "Avoid the rewrite or scan: add a new column, backfill it in batches and switch over; for SET NOT NULL, first add a CHECK (col IS NOT NULL) NOT VALID constraint and validate it.";
  return "Set a lock_timeout before the statement and run it when traffic is low, or restructure the change so Postgres does not rewrite or scan the table under this lock.";
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
