/**
 * SQLite replay: the history applied in process on sql.js (SQLite 3.x in WASM, no install script), opened with
 * `PRAGMA foreign_keys=ON` as Prisma's SQLite connection is, each file run the way the project's runner runs it:
 * statement by statement with each committing on its own (`prisma migrate deploy`: rusqlite's execute_batch), or
 * inside one transaction (`runner: "d1"` / `"transaction"`). The loop, down.sql round trips and schema drift are
 * the shared engine replay's (src/replay/engine-replay.ts); a down.sql runs on a copy of the database
 * (`Database.export`), which is put back afterwards.
 */
import v8 from "node:v8";
import { MigrationLintError, errorMessage } from "../../errors.js";
import { replayOnEngine, type ReplayEngine, type StatementFailure } from "../../replay/engine-replay.js";
import type { ReplayOptions, ReplayReport } from "../../replay/types.js";
import type { Statement } from "../../types.js";
import { sqlite } from "./index.js";
import { sqliteDriftTypes, sqliteSnapshot } from "./introspect.js";

interface SqlJsStatement {
  bind(params: unknown[]): boolean;
  step(): boolean;
  getAsObject(): Record<string, unknown>;
  free(): boolean;
}
interface SqlJsDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqlJsStatement;
  export(): Uint8Array;
  close(): void;
}
type SqlJsStatic = { Database: new (data?: Uint8Array) => SqlJsDatabase };

/**
 * sql.js, a new WebAssembly instance for each replay: its functions compile lazily, on first call, under the
 * compiler settings of that replay (see withBaselineWasm), and none is kept from an earlier one.
 */
async function loadSqlJs(): Promise<SqlJsStatic> {
  const { default: initSqlJs } = await import("sql.js");
  return (await initSqlJs()) as SqlJsStatic;
}

function open(SQL: SqlJsStatic, data?: Uint8Array): SqlJsDatabase {
  const db = new SQL.Database(data);
  db.exec("PRAGMA foreign_keys=ON");
  return db;
}

let baselineRuns = 0;

/**
 * Runs `work` with V8's WebAssembly baseline compiler only (`--liftoff-only`), and restores the default after.
 * V8 compiles sql.js's hot functions (SQLite's bytecode interpreter is one very large function) again with its
 * optimizing compiler while they run; for a migration history that compilation costs far more than it saves:
 * measured on spacedrive's 35 migrations, the first replay in a process took 1.0-1.2 s and 0.25-0.28 s with the
 * baseline compiler only, later ones 0.25 s either way (Node 20, 2 cores). Only the functions compiled meanwhile
 * are affected: PGlite, libpg-query and sqlparser-rs are compiled with the default tiers before or after.
 */
async function withBaselineWasm<T>(work: () => Promise<T>): Promise<T> {
  if (baselineRuns++ === 0) v8.setFlagsFromString("--liftoff-only");
  try {
    return await work();
  } finally {
    if (--baselineRuns === 0) v8.setFlagsFromString("--no-liftoff-only --wasm-tier-up");
  }
}

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  return withBaselineWasm(() => replayOnSqlJs(options));
}

async function replayOnSqlJs(options: ReplayOptions): Promise<ReplayReport> {
  if (options.databaseUrl) throw new MigrationLintError("usage", "--database-url is for PostgreSQL and MySQL: a SQLite history replays in process on sql.js (leave --database-url out).");
  const transactional = options.runner?.model === "script-transaction";
  const SQL = await loadSqlJs();
  let db = open(SQL);
  const rows = (sql: string, params: unknown[] = []) => {
    const statement = db.prepare(sql);
    try {
      statement.bind(params);
      const out: Array<Record<string, unknown>> = [];
      while (statement.step()) out.push(statement.getAsObject());
      return out;
    } finally {
      statement.free();
    }
  };
  const engine: ReplayEngine = {
    name: "SQLite",
    description: `sql.js (SQLite, in process${transactional ? ", each file in one transaction" : ", statement by statement"})`,
    provider: "sqlite",
    failureConsequence: transactional
      ? "The runner rolls the file back and stops."
      : "`prisma migrate deploy` stops here with the statements before it already committed (SQLite runs the file statement by statement), so the database is half migrated and the retry starts from the top.",
    parse: (path, text) => sqlite.parseFile(path, text),
    refuse: () => null,
    runFile: async (statements) => run(db, statements, transactional),
    runSeed: async (sql) => {
      db.exec(sql);
    },
    snapshot: async () => sqliteSnapshot(rows),
    checkpoint: async () => {
      const copy = db.export();
      return async () => {
        db.close();
        db = open(SQL, copy);
      };
    },
    reset: async () => {
      db.close();
      db = open(SQL);
    },
    driftTypes: sqliteDriftTypes,
    scrub: (text) => text,
  };
  try {
    return await replayOnEngine(options, engine);
  } finally {
    db.close();
  }
}

/** Runs a file's statements as the runner does; the first failure, or null. */
function run(db: SqlJsDatabase, statements: Statement[], transactional: boolean): StatementFailure | null {
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
