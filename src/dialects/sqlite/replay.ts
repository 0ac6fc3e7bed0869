/**
 * SQLite replay: the history applied in process on sql.js (SQLite 3.x in WASM, no install script), opened with
 * `PRAGMA foreign_keys=ON` as Prisma's SQLite connection is, each file run the way the project's runner runs it:
 * statement by statement with each committing on its own (`prisma migrate deploy`: rusqlite's execute_batch), or
 * inside one transaction (`runner: "d1"` / `"transaction"`). Reports `replay-failed` at the statement SQLite
 * rejects. Not yet: schema drift and down.sql round trips (docs/dialects.md).
 */
import { performance } from "node:perf_hooks";
import type { LintMessage } from "../../engine/results.js";
import { MigrationLintError, errorMessage } from "../../errors.js";
import { rangePosition, replayMessage, LINE_ONE } from "../../replay/messages.js";
import type { ReplayOptions, ReplayReport } from "../../replay/types.js";
import type { Statement } from "../../types.js";

interface SqlJsDatabase {
  exec(sql: string): unknown;
  close(): void;
}

async function openDatabase(): Promise<SqlJsDatabase> {
  const { default: initSqlJs } = await import("sql.js");
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec("PRAGMA foreign_keys=ON");
  return db;
}

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  if (options.databaseUrl) throw new MigrationLintError("usage", "--database-url is for PostgreSQL: a SQLite history replays in process on sql.js (leave --database-url out).");
  if (options.driftOnly) throw new MigrationLintError("usage", "--drift-only is not built for SQLite yet: --replay applies the history and reports the migrations SQLite rejects.");
  const started = performance.now();
  const messages = new Map<string, LintMessage[]>();
  const push = (file: string, message: LintMessage) => messages.set(file, [...(messages.get(file) ?? []), message]);
  const transactional = options.runner?.model === "script-transaction";
  const db = await openDatabase();
  let applied = 0;
  let seeded = options.seedSql === undefined;
  try {
    for (const migration of options.migrations) {
      const file = migration.file;
      if (!file) break; // unreadable: Prisma stops there too (file-error reports it)
      const linted = options.inScope(migration);
      if (linted && !seeded) {
        seeded = true;
        try {
          db.exec(options.seedSql!);
        } catch (err) {
          push(file.path, replayMessage({ ruleId: "replay-failed", severity: 1, message: `The seed file does not apply on SQLite: ${errorMessage(err)}. Replay went on without the rest of it.`, position: LINE_ONE, key: [migration.entry.name, "replay-failed", "seed"], migration: migration.entry.name }));
        }
      }
      const failure = run(db, file.statements, transactional);
      if (failure) {
        if (linted) {
          const what = transactional
            ? "the runner rolls the file back and stops"
            : "`prisma migrate deploy` stops here with the statements before it already committed (SQLite runs the file statement by statement), so the database is half migrated and the retry starts from the top";
          push(file.path, replayMessage({
            ruleId: "replay-failed",
            severity: 2,
            message: `SQLite rejects this statement: ${failure.message}. ${what[0]!.toUpperCase()}${what.slice(1)}.`,
            position: rangePosition(failure.statement.range),
            key: [migration.entry.name, "replay-failed", failure.message],
            migration: migration.entry.name,
          }));
        }
        break; // later migrations depend on this one
      }
      applied++;
    }
  } finally {
    db.close();
  }
  return { messages, lockTrace: [], timings: { totalMs: performance.now() - started, migrations: applied, restored: 0 }, database: `sql.js (SQLite, in process${transactional ? ", each file in one transaction" : ", statement by statement"})` };
}

/** Runs a file's statements; the first failure, or null. */
function run(db: SqlJsDatabase, statements: Statement[], transactional: boolean): { statement: Statement; message: string } | null {
  if (transactional) db.exec("BEGIN");
  for (const statement of statements) {
    try {
      db.exec(statement.text);
    } catch (err) {
      if (transactional) {
        try {
          db.exec("ROLLBACK");
        } catch {
          // SQLite already ended the transaction
        }
      }
      return { statement, message: errorMessage(err) };
    }
  }
  if (transactional) db.exec("COMMIT");
  return null;
}
