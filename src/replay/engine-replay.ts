/**
 * The replay loop of the databases that run a migration statement by statement (SQLite on sql.js, MySQL on a
 * scratch database): the history applied in order as the runner applies it, `replay-failed` at the statement the
 * database rejects, a `down.sql` round trip for each in-scope migration that has one (`rollback-mismatch`), and the
 * end schema compared with schema.prisma (`schema-drift`). What differs between the databases (how a file runs,
 * what is refused, how the schema is read, Prisma's type mapping) is the `ReplayEngine` a dialect hands in.
 * Postgres has its own loop (src/replay/index.ts): it runs a file as one script and traces its locks.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { LoadedMigration } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import { errorMessage } from "../errors.js";
import { decodeText } from "../model/load.js";
import type { ParsedSqlFile, Statement } from "../types.js";
import { checkDrift, driftMessage, type DriftTypes } from "./drift.js";
import type { DbSnapshot } from "./introspect.js";
import { LINE_ONE, rangePosition, replayMessage, stoppedFinding, type MessageInput } from "./messages.js";
import { rollbackFindings } from "./rollback.js";
import type { ReplayOptions, ReplayReport } from "./types.js";

/** A statement the database rejected, with its message (already scrubbed of secrets). */
export interface StatementFailure {
  statement: Statement;
  message: string;
}

export interface ReplayEngine {
  /** The database in messages: "SQLite", "MariaDB 10.11.6". */
  name: string;
  /** Where replay ran, for the report (password redacted). */
  description: string;
  /** `prisma` in schema.prisma's datasource that this engine compares with (`sqlite`, `mysql`). */
  provider: string;
  /** What the runner does when a statement of a file fails, as a sentence. */
  failureConsequence: string;
  /** Parses a down.sql (the dialect's parser, operations included). */
  parse(path: string, text: string): Promise<ParsedSqlFile>;
  /** Why a statement is not run here (it reaches beyond the scratch database), or null. */
  refuse(statement: Statement): string | null;
  /** Runs a file's statements (those not refused) the way the runner does; the first failure, or null. */
  runFile(statements: Statement[]): Promise<StatementFailure | null>;
  /** Runs seed SQL; throws on the first error (scrubbed). */
  runSeed(sql: string): Promise<void>;
  /** The schema, from the database's own catalog. */
  snapshot(): Promise<DbSnapshot>;
  /**
   * Keeps the state before a down.sql runs and returns how to go back to it; null where the database cannot
   * (MySQL: DDL commits on its own), and replay empties the database (`reset`) and applies the history again.
   */
  checkpoint(): Promise<(() => Promise<void>) | null>;
  /** Empties the database: the scratch database dropped and created again. */
  reset(): Promise<void>;
  /** How Prisma maps its types and defaults onto this database's columns. */
  driftTypes: DriftTypes;
  /** Removes secrets (a connection string's password) from a text. */
  scrub(text: string): string;
}

/** Replays `options.migrations` on `engine`; the caller opens and closes the engine. */
export async function replayOnEngine(options: ReplayOptions, engine: ReplayEngine): Promise<ReplayReport> {
  const started = performance.now();
  const run = new EngineRun(options, engine);
  await run.history();
  return { messages: run.messages, lockTrace: [], timings: { totalMs: performance.now() - started, migrations: run.applied, restored: 0 }, database: engine.description };
}

class EngineRun {
  readonly messages = new Map<string, LintMessage[]>();
  applied = 0;

  constructor(
    private readonly options: ReplayOptions,
    private readonly engine: ReplayEngine,
  ) {}

  private push(file: string, input: MessageInput): void {
    const message = replayMessage({ ...input, message: this.engine.scrub(input.message), ...(input.help ? { help: this.engine.scrub(input.help) } : {}) });
    this.messages.set(file, [...(this.messages.get(file) ?? []), message]);
  }

  private stopped(restFrom: number, cause: string, stoppedAt: LoadedMigration): void {
    const finding = stoppedFinding(this.options, restFrom, cause, stoppedAt);
    if (finding) this.push(finding.file, finding.input);
  }

  async history(): Promise<void> {
    const { migrations, inScope } = this.options;
    const checks = !this.options.driftOnly;
    let seeded = this.options.seedSql === undefined;
    for (const [position, migration] of migrations.entries()) {
      const file = migration.file;
      if (!file) {
        this.stopped(position + 1, `${migration.entry.name} has no readable migration.sql, which \`prisma migrate deploy\` fails on`, migration);
        return;
      }
      const linted = inScope(migration);
      if (linted && !seeded) {
        seeded = true;
        await this.seed(migration, file);
      }
      const before = linted && checks && migration.entry.downPath ? await this.engine.snapshot() : null;
      const failure = await this.runFile(file, linted ? migration : null);
      if (failure) {
        if (linted) {
          this.push(file.path, {
            ruleId: "replay-failed",
            severity: 2,
            message: `${this.engine.name} rejects this statement: ${failure.message.replace(/\.$/, "")}. ${this.engine.failureConsequence}`,
            position: rangePosition(failure.statement.range),
            key: [migration.entry.name, "replay-failed", failure.message],
            migration: migration.entry.name,
          });
        }
        const cause = linted ? `${migration.entry.name} fails (see the replay-failed finding there)` : `${migration.entry.name}, outside the migrations being linted, fails: ${failure.message}`;
        this.stopped(position + 1, cause, migration);
        return;
      }
      this.applied++;
      if (before && migration.entry.downPath && !(await this.checkRollback(migration, position, migration.entry.downPath, before))) {
        this.stopped(position + 1, `after ${migration.entry.name}'s down.sql, replay could not bring the database back to the migrated state`, migration);
        return;
      }
    }
    await this.drift();
  }

  /** Runs a file; statements that reach beyond the scratch database are reported on `reportOn` (in scope) and left out. */
  private async runFile(file: ParsedSqlFile, reportOn: LoadedMigration | null): Promise<StatementFailure | null> {
    const runnable: Statement[] = [];
    for (const statement of file.statements) {
      const refused = this.engine.refuse(statement);
      if (!refused) {
        runnable.push(statement);
        continue;
      }
      if (reportOn) {
        this.push(file.path, {
          ruleId: "replay-failed",
          severity: 1,
          message: `Not run on the real server: ${refused}; replay runs only what stays inside its scratch database. Replay went on as if it had run.`,
          position: rangePosition(statement.range),
          key: [reportOn.entry.name, "replay-failed", "not-run", statement.text],
          migration: reportOn.entry.name,
        });
      }
    }
    return this.engine.runFile(runnable);
  }

  private async seed(migration: LoadedMigration, file: ParsedSqlFile): Promise<void> {
    try {
      await this.engine.runSeed(this.options.seedSql!);
    } catch (err) {
      this.push(file.path, {
        ruleId: "replay-failed",
        severity: 1,
        message: `The seed SQL does not apply on ${this.engine.name}: ${errorMessage(err).replace(/\.$/, "")}. Replay went on without the rest of it.`,
        position: LINE_ONE,
        key: [migration.entry.name, "replay-failed", "seed"],
        migration: migration.entry.name,
      });
    }
  }

  /**
   * down.sql run after migration.sql, the way the runner runs a file (Prisma's convention: `prisma db execute
   * --file down.sql`), then the schema compared with the one before the migration. The history goes on from the
   * state migration.sql left: restored from the checkpoint, or (MySQL, where DDL cannot be rolled back) rebuilt by
   * applying the history up to this migration again on an emptied database. False when that fails.
   */
  private async checkRollback(migration: LoadedMigration, position: number, downPath: string, before: DbSnapshot): Promise<boolean> {
    const name = migration.entry.name;
    let down: ParsedSqlFile | null = null;
    try {
      down = await this.engine.parse(downPath, decodeText(readFileSync(downPath)));
    } catch (err) {
      this.push(downPath, { ruleId: "rollback-mismatch", severity: 2, message: `Cannot read down.sql: ${errorMessage(err)}`, position: LINE_ONE, key: [name, "rollback-mismatch", "unreadable"], migration: name });
      return true;
    }
    const restore = await this.engine.checkpoint();
    const failure = await this.runFile(down, migration);
    if (failure) {
      this.push(downPath, {
        ruleId: "rollback-mismatch",
        severity: 2,
        message: `down.sql fails on the schema this migration leaves: ${this.engine.name} rejects this statement: ${failure.message.replace(/\.$/, "")}. Rolling back with it would fail the same way.`,
        position: rangePosition(failure.statement.range),
        key: [name, "rollback-mismatch", "fails", failure.message],
        migration: name,
      });
    } else {
      for (const finding of rollbackFindings(name, down, before, await this.engine.snapshot())) this.push(downPath, finding);
    }
    if (restore) {
      await restore();
      return true;
    }
    return this.reapplyUpTo(position);
  }

  /** Empties the database and applies migrations 0..last again (the seed where it went in), without findings. */
  private async reapplyUpTo(last: number): Promise<boolean> {
    await this.engine.reset();
    const { migrations, inScope, seedSql } = this.options;
    const firstInScope = migrations.findIndex((m) => inScope(m));
    for (const [position, migration] of migrations.slice(0, last + 1).entries()) {
      if (position === firstInScope && seedSql !== undefined) await this.engine.runSeed(seedSql).catch(() => undefined);
      if (!migration.file || (await this.runFile(migration.file, null))) return false;
    }
    return true;
  }

  private async drift(): Promise<void> {
    const schema = this.options.schema;
    if (!schema || schema.errors.length > 0) return;
    if (schema.provider && schema.provider !== this.engine.provider) return;
    const current = await this.engine.snapshot();
    const findings = await checkDrift(current, schema, { defaultSchema: "", live: false, types: this.engine.driftTypes });
    for (const finding of findings) this.push(finding.file, driftMessage(finding));
  }
}
