/**
 * The replay engine's public shapes, in a module that imports no database driver: the Dialect interface
 * (src/dialects/dialect.ts) names them, and the package's public .d.ts files reach it, so a consumer
 * compiling with --strict and without skipLibCheck must not need `pg`'s or PGlite's types
 * (tests/integrations/package.test.ts).
 */
import type { LoadedMigration } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import type { PrismaSchemaModel } from "../schema/types.js";
import type { RunnerInfo } from "../types.js";
import type { LockTraceEntry } from "./lock-trace-types.js";

export interface ReplayOptions {
  /** The whole history, in order. */
  migrations: LoadedMigration[];
  /** Which migrations get lock traces, rollback checks and findings. All are applied. */
  inScope: (m: LoadedMigration) => boolean;
  /** For schema-drift; null skips it. */
  schema: PrismaSchemaModel | null;
  /** A real Postgres through `pg`. Replay creates a scratch database there and drops it afterwards. Default: PGlite in-process. */
  databaseUrl?: string;
  /** SQL applied once, just before the first in-scope migration (test data for the new migrations to run against). */
  seedSql?: string;
  /**
   * Only schema-drift. With `databaseUrl`: compare that database itself with
   * schema.prisma, read-only, no migration applied. Without: replay the
   * history on PGlite and compare (no lock traces, no rollback checks).
   */
  driftOnly?: boolean;
  /** How the project's runner applies a file (a dialect whose runners differ replays the same way: SQLite's `d1` in one transaction). */
  runner?: RunnerInfo;
  /** Collect per-statement table locks (pg_locks) for in-scope migrations. Default true. */
  lockTrace?: boolean;
  /**
   * PGlite only (ignored with `databaseUrl`): restore the stored snapshot of the
   * longest prefix of the history that is out of scope, apply only the rest,
   * store a snapshot just before the first in-scope migration, and one of the
   * whole history after a run that applied it all.
   */
  snapshot?: ReplaySnapshotOptions;
}

export interface ReplayReport {
  /** Findings by absolute file path (migration.sql, down.sql or a .prisma file), ESLint-shaped like the engine's. */
  messages: Map<string, LintMessage[]>;
  lockTrace: LockTraceEntry[];
  /** `migrations`: applied in total, `restored` of them from a snapshot (`--cache`). */
  timings: { totalMs: number; migrations: number; restored: number };
  /** Where replay ran, password redacted: `PGlite (Postgres 17)`, `postgresql://u:***@host/migration_lint_ab12... (scratch database, Postgres 16)`. */
  database: string;
}

export interface ReplaySnapshotOptions {
  /** The cache file; snapshots are `<base>.replay-<16 hex>.tar.gz` next to it. */
  base: string;
  /** chains[i]: the chain hash after migration i of the history replay gets. */
  chains: string[];
}
