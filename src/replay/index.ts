/**
 * Replay: apply the migration history to a real Postgres (PGlite in-process by
 * default, or a scratch database next to `databaseUrl`) exactly the way
 * `prisma migrate deploy` does, and report what only a database can tell:
 *
 * - `replay-failed`     a migration Postgres rejects, at the statement and position Postgres names;
 * - `lock-trace`        the table locks each statement of an in-scope migration takes (data, plus
 *                       warnings for write-blocking locks held across a rewrite or scan);
 * - `rollback-mismatch` a down.sql that does not bring the schema back to what it was;
 * - `schema-drift`      differences between the migrated database and schema.prisma.
 *
 * See docs/replay.md for what each check does and the safety guarantees.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { LoadedMigration } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import { errorMessage } from "../errors.js";
import { buildOperations } from "../dialects/postgres/build.js";
import { decodeText } from "../model/load.js";
import { parseSqlFile } from "../dialects/postgres/parse.js";
import type { PrismaSchemaModel } from "../schema/types.js";
import type { ParsedSqlFile, RunnerInfo, SourceRange, Statement } from "../types.js";
import { dbError, type DbError, type ReplayDb } from "./driver.js";
import { checkDrift, driftMessage, postgresDriftTypes } from "./drift.js";
import { extensionNames, loadPgliteExtensions } from "./extensions.js";
import { snapshot, type DbSnapshot } from "./introspect.js";
import { existingTables, traceMigration, type LockTraceEntry } from "./locks.js";
import { LINE_ONE, indexOfCharPosition, rangePosition, replayMessage, statementAt, stoppedFinding, type MessageInput } from "./messages.js";
import { rollbackFindings } from "./rollback.js";
import { findSnapshot, openPgliteInstance, pruneSnapshots, writeSnapshot, type PgliteTarget } from "./snapshot.js";
import { guardScript, type Refusal, type SandboxState } from "./sandbox.js";
import { openPglite, openReadOnly, openScratchDatabase, redactUrl, scrub, type ReplayTarget } from "./target.js";

export type { LockTraceEntry, TracedLock } from "./locks.js";
export type { ReplayOptions, ReplayReport, ReplaySnapshotOptions } from "./types.js";
import type { ReplayOptions, ReplayReport, ReplaySnapshotOptions } from "./types.js";
export { redactUrl } from "./target.js";

export const replayRuleIds = ["replay-failed", "lock-trace", "rollback-mismatch", "schema-drift"] as const;
export type ReplayRuleId = (typeof replayRuleIds)[number];

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const started = performance.now();
  const run = new ReplayRun(options);
  let target: ReplayTarget;
  if (options.driftOnly && options.databaseUrl) {
    target = await openReadOnly(options.databaseUrl);
    try {
      await run.drift(target, true);
    } catch (err) {
      throw scrubbed(err, options.databaseUrl);
    } finally {
      await target.cleanup();
    }
  } else {
    if (options.databaseUrl) {
      target = await openScratchDatabase(options.databaseUrl);
    } else {
      const names = new Set<string>();
      for (const m of options.migrations) {
        if (m.file) for (const name of extensionNames(m.file.text)) names.add(name);
        if (m.entry.downPath && !options.driftOnly && options.inScope(m)) for (const name of extensionNames(readText(m.entry.downPath) ?? "")) names.add(name);
      }
      if (options.seedSql) for (const name of extensionNames(options.seedSql)) names.add(name);
      const { extensions } = await loadPgliteExtensions(names);
      const snap = options.snapshot && options.snapshot.chains.length === options.migrations.length ? options.snapshot : undefined;
      if (snap) {
        target = await run.openFromSnapshot(extensions, snap);
      } else {
        target = await openPglite(extensions);
      }
    }
    try {
      await run.history(target);
    } catch (err) {
      throw scrubbed(err, options.databaseUrl);
    } finally {
      await target.cleanup();
    }
  }
  return { messages: run.messages, lockTrace: run.lockTrace, timings: { totalMs: Math.round(performance.now() - started), migrations: run.applied, restored: run.restored }, database: target.description };
}

function readText(file: string): string | null {
  try {
    return decodeText(readFileSync(file));
  } catch {
    return null;
  }
}

function scrubbed(err: unknown, url: string | undefined): unknown {
  if (!url || !(err instanceof Error)) return err;
  err.message = scrub(err.message, url);
  return err;
}

class ReplayRun {
  readonly messages = new Map<string, LintMessage[]>();
  readonly lockTrace: LockTraceEntry[] = [];
  applied = 0;
  /** Migrations at the start of the history restored from a snapshot instead of applied. */
  restored = 0;
  /** Snapshots this run restored or wrote: the ones kept. */
  private readonly snapshotFiles = new Set<string>();
  private target!: ReplayTarget;
  /** On a real server: what its scratch database is, and which roles replay left uncreated (see sandbox.ts). */
  private sandbox: SandboxState | null = null;

  constructor(private readonly options: ReplayOptions) {}

  private get db(): ReplayDb {
    return this.target.db;
  }

  private push(file: string, input: MessageInput): void {
    const url = this.options.databaseUrl;
    const message = replayMessage({ ...input, message: scrub(input.message, url), ...(input.help ? { help: scrub(input.help, url) } : {}) });
    let list = this.messages.get(file);
    if (!list) this.messages.set(file, (list = []));
    list.push(message);
  }

  /**
   * PGlite from the snapshot of the longest out-of-scope prefix of the history
   * (in-scope migrations need lock traces and rollback checks, so they are
   * always applied here); a fresh one when there is none or it does not load.
   */
  async openFromSnapshot(extensions: Parameters<typeof openPglite>[0], snap: ReplaySnapshotOptions): Promise<ReplayTarget> {
    const { migrations, inScope } = this.options;
    let limit = migrations.findIndex((m) => inScope(m) || !m.file);
    if (limit < 0) limit = migrations.length;
    const found = findSnapshot(snap, limit);
    if (found) {
      try {
        const target = await openPgliteInstance(extensions, found.file);
        this.restored = found.index + 1;
        this.applied = this.restored;
        this.snapshotFiles.add(found.file);
        return target;
      } catch {
        // unreadable or incompatible snapshot: replay the whole history
      }
    }
    return openPgliteInstance(extensions);
  }

  async history(target: ReplayTarget): Promise<void> {
    this.target = target;
    if (target.scratchDatabase) this.sandbox = { database: target.scratchDatabase, skippedRoles: new Set() };
    const { migrations, inScope } = this.options;
    const checks = !this.options.driftOnly;
    const trace = checks && this.options.lockTrace !== false;
    const firstInScope = migrations.findIndex((m) => inScope(m));

    for (const [position, migration] of migrations.entries()) {
      if (position < this.restored) continue;
      if (position === firstInScope && position > this.restored) await this.storeSnapshot(target, position - 1);
      const linted = inScope(migration);
      const file = migration.file;
      if (!file) {
        this.stopped(position + 1, `${migration.entry.name} has no readable migration.sql, which \`prisma migrate deploy\` fails on`, migration);
        return;
      }
      if (position === firstInScope && this.options.seedSql) await this.seed(migration, file);

      const guarded = await this.guard(file.path, file.text, linted ? migration : null);
      if (guarded.stop) {
        this.stopped(position + 1, `${migration.entry.name} was not applied: ${guarded.stop.reason}, which replay does not run on a real server and cannot go on without`, migration);
        return;
      }

      let before: DbSnapshot | null = null;
      if (linted && checks) {
        if (migration.entry.downPath) before = await snapshot(this.db);
        if (trace) {
          const tables = await existingTables(this.db);
          const result = await traceMigration(this.db, migration.entry.name, file, tables, this.target.serverVersion, guarded.notRun);
          this.lockTrace.push(...result.entries);
          for (const warning of result.warnings) this.pushMessage(file.path, warning);
        }
      }

      try {
        await this.db.exec(guarded.text);
      } catch (err) {
        const error = dbError(err);
        if (!error) throw err;
        await this.reportFailure(migration, file, error, linted, guarded.notRun);
        const cause = linted ? `${migration.entry.name} fails (see the replay-failed finding there)` : `${migration.entry.name}, outside the migrations being linted, fails: ${describeError(error)}`;
        this.stopped(position + 1, cause, migration);
        return;
      }
      this.applied++;

      if (before && migration.entry.downPath) {
        const ok = await this.checkRollback(migration, guarded.text, migration.entry.downPath, before);
        if (!ok) {
          this.stopped(position + 1, `${migration.entry.name}'s migration.sql no longer applies after its down.sql`, migration);
          return;
        }
      }
    }
    if (this.options.migrations.length > 0 && !this.options.seedSql) await this.storeSnapshot(target, this.options.migrations.length - 1);
    if (this.options.snapshot) pruneSnapshots(this.options.snapshot.base, this.snapshotFiles);
    await this.drift(target, false);
  }

  /** The snapshot after migration `last` for the next run (only of migrations alone: never with seed data in the database). */
  private async storeSnapshot(target: ReplayTarget, last: number): Promise<void> {
    const snap = this.options.snapshot;
    const instance = (target as Partial<PgliteTarget>).instance;
    if (!snap || !instance || this.applied !== last + 1) return;
    const file = await writeSnapshot(instance, snap.base, snap.chains[last]!);
    if (file) this.snapshotFiles.add(file);
  }

  private pushMessage(file: string, message: LintMessage): void {
    let list = this.messages.get(file);
    if (!list) this.messages.set(file, (list = []));
    list.push(message);
  }

  /**
   * What of a script replay may run here: everything on PGlite; on a real
   * server, the script with the statements that reach beyond the scratch
   * database blanked out (`notRun`, by statement start), each reported on
   * `reportOn` (an in-scope migration) with why. `stop` is the first refused
   * statement replay cannot go on without: then nothing of the script runs.
   */
  private async guard(path: string, text: string, reportOn: LoadedMigration | null): Promise<{ text: string; notRun: Map<number, string>; stop: Refusal | null }> {
    if (!this.sandbox) return { text, notRun: new Map(), stop: null };
    const guarded = await guardScript(path, text, this.sandbox);
    const stop = guarded.refusals.find((r) => !r.skippable) ?? null;
    if (reportOn) {
      for (const refusal of guarded.refusals) {
        this.push(path, {
          ruleId: "replay-failed",
          severity: 1,
          message: `Not run on the real server: ${refusal.reason}, outside replay's scratch database. ${
            refusal.skippable ? "Replay went on as if it had run (its effect lies outside the scratch database)." : "Replay cannot go on soundly without it and stopped here."
          }`,
          help: "With --database-url, replay runs only what stays inside the scratch database it creates (docs/replay.md, \"What replay does not run on a real server\"). Without --database-url, replay runs on PGlite, in-process and thrown away, which runs everything.",
          position: rangePosition(refusal.statement.range),
          key: [reportOn.entry.name, "replay-failed", "not-run", refusal.statement.text],
          migration: reportOn.entry.name,
        });
      }
    }
    return { text: guarded.text, notRun: new Map(guarded.refusals.map((r) => [r.statement.range.start, r.reason])), stop };
  }

  private async seed(migration: LoadedMigration, file: ParsedSqlFile): Promise<void> {
    const guarded = await this.guard(file.path, this.options.seedSql!, null);
    if (guarded.notRun.size > 0) {
      const first = [...guarded.notRun.values()][0]!;
      this.push(file.path, {
        ruleId: "replay-failed",
        severity: 1,
        message: `The seed SQL has ${guarded.notRun.size === 1 ? "a statement" : `${guarded.notRun.size} statements`} replay does not run on a real server (${first}). ${guarded.stop ? "Replay went on without seed data." : "The rest of the seed was applied."}`,
        position: LINE_ONE,
        key: [migration.entry.name, "replay-failed", "seed-not-run"],
        migration: migration.entry.name,
      });
      if (guarded.stop) return;
    }
    try {
      await this.db.exec(guarded.text);
    } catch (err) {
      const error = dbError(err);
      if (!error) throw err;
      this.push(file.path, {
        ruleId: "replay-failed",
        severity: 2,
        message: `The seed SQL fails on the schema just before this migration: ${describeError(error)} Replay went on without seed data.`,
        help: "The seed runs once, right before the first migration being linted, against the schema the earlier migrations built: write it for that schema.",
        position: LINE_ONE,
        key: [migration.entry.name, "replay-failed", "seed", error.message],
        migration: migration.entry.name,
      });
    }
  }

  private async reportFailure(migration: LoadedMigration, file: ParsedSqlFile, error: DbError, linted: boolean, notRun: ReadonlyMap<number, string>): Promise<void> {
    if (!linted) return;
    const where = await locateFailure(this.db, file, error, notRun);
    const extension = missingExtension(error);
    if (extension) {
      const onPglite = this.target.db.kind === "pglite";
      this.push(file.path, {
        ruleId: "replay-failed",
        severity: 1,
        message: onPglite
          ? `PGlite does not bundle the extension "${extension}", so replay cannot apply this migration (Postgres: ${error.message}). Replay stopped here; this is not a fault of the migration.`
          : `The Postgres server replay runs on does not have the extension "${extension}" installed (Postgres: ${error.message}). Replay stopped here; this is not a fault of the migration.`,
        help: onPglite
          ? "Replay against a Postgres server that has the extension with --database-url (replay creates and drops its own scratch database there)."
          : "Install the extension on that server, or point --database-url at one that has it.",
        position: rangePosition(where.range),
        key: [migration.entry.name, "replay-failed", "extension", extension],
        migration: migration.entry.name,
      });
      return;
    }
    this.push(file.path, {
      ruleId: "replay-failed",
      severity: 2,
      message: `Postgres rejects this migration: ${describeError(error)} \`prisma migrate deploy\` fails here and rolls the whole file back.`,
      ...helpFor(error),
      position: rangePosition(where.range),
      key: [migration.entry.name, "replay-failed", error.code ?? "", error.message],
      migration: migration.entry.name,
    });
  }

  /**
   * Replay stops at the first migration that cannot be applied: later ones
   * depend on it. One info finding says so, on the first in-scope migration
   * left out (else on the one that stopped it).
   */
  private stopped(restFrom: number, cause: string, stoppedAt: LoadedMigration): void {
    const finding = stoppedFinding(this.options, restFrom, cause, stoppedAt);
    if (finding) this.push(finding.file, finding.input);
  }

  /** Returns false when the history cannot go on (up no longer applies after down). */
  private async checkRollback(migration: LoadedMigration, upText: string, downPath: string, before: DbSnapshot): Promise<boolean> {
    const name = migration.entry.name;
    let down: ParsedSqlFile;
    try {
      down = await parseSqlFile(downPath, decodeText(readFileSync(downPath)));
      buildOperations(down);
    } catch (err) {
      this.push(downPath, {
        ruleId: "rollback-mismatch",
        severity: 2,
        message: `Cannot read down.sql: ${errorMessage(err)}`,
        position: LINE_ONE,
        key: [name, "rollback-mismatch", "unreadable"],
        migration: name,
      });
      return true;
    }
    const guarded = await this.guard(downPath, down.text, migration);
    // down.sql without what replay cannot run is no rollback to compare: the finding above says so
    if (guarded.stop) return true;

    /** Runs down.sql and snapshots the schema it leaves; a database error is returned as `failure`, anything else is thrown. */
    const runDown = async (): Promise<{ after: DbSnapshot | null; failure: DbError | null }> => {
      try {
        await this.db.exec(guarded.text);
        return { after: await snapshot(this.db), failure: null };
      } catch (err) {
        const failure = dbError(err);
        if (!failure) throw err;
        return { after: null, failure };
      }
    };
    let after: DbSnapshot | null = null;
    let failure: DbError | null = null;
    const ownTransactionControl = down.statements.some((s) => s.nodeType === "TransactionStmt");
    if (!ownTransactionControl) {
      // Run down.sql inside a transaction we roll back: the history goes on from exactly the state migration.sql left.
      await this.db.exec("BEGIN");
      try {
        ({ after, failure } = await runDown());
      } finally {
        await this.db.exec("ROLLBACK");
      }
    }
    if (ownTransactionControl || failure?.code === "25001") {
      // down.sql has its own BEGIN/COMMIT, or a statement that refuses a transaction block:
      // run it for real as one script, then migration.sql again.
      ({ after, failure } = await runDown());
      if (!failure) {
        try {
          await this.db.exec(upText);
        } catch (err) {
          const error = dbError(err);
          if (!error) throw err;
          this.push(downPath, {
            ruleId: "rollback-mismatch",
            severity: 2,
            message: `After down.sql, migration.sql no longer applies: ${describeError(error)} down.sql does not restore the schema migration.sql expects.`,
            position: LINE_ONE,
            key: [name, "rollback-mismatch", "reapply", error.message],
            migration: name,
          });
          return false;
        }
      }
    }

    if (failure) {
      const where = await locateFailure(this.db, down, failure, guarded.notRun);
      this.push(downPath, {
        ruleId: "rollback-mismatch",
        severity: 2,
        message: `down.sql fails on the schema this migration leaves: ${describeError(failure)} Rolling back with it would fail the same way.`,
        ...helpFor(failure),
        position: rangePosition(where.range),
        key: [name, "rollback-mismatch", "fails", failure.message],
        migration: name,
      });
      return true;
    }

    for (const finding of rollbackFindings(name, down, before, after!)) this.push(downPath, finding);
    return true;
  }

  async drift(target: ReplayTarget, live: boolean): Promise<void> {
    this.target = target;
    const schema = this.options.schema;
    if (!schema || schema.errors.length > 0) return;
    if (schema.provider && !/^postgres(ql)?$/.test(schema.provider)) return;
    // The comparison only reads, inside a transaction (literal defaults are evaluated under savepoints).
    if (!live) await this.db.exec("BEGIN TRANSACTION READ ONLY");
    try {
      const current = await snapshot(this.db);
      const findings = await checkDrift(current, schema, { defaultSchema: target.defaultSchema, live, types: postgresDriftTypes(this.db, live) });
      for (const finding of findings) this.push(finding.file, driftMessage(finding));
    } finally {
      if (!live) await this.db.exec("ROLLBACK");
    }
  }
}

/**
 * Where in `file` a failure happened: Postgres's `position` when it names one
 * (a character offset into the script); otherwise the statement that fails
 * when the statements run one by one in a transaction that is rolled back.
 */
async function locateFailure(db: ReplayDb, file: ParsedSqlFile, error: DbError, notRun: ReadonlyMap<number, string>): Promise<{ range: SourceRange; statement: Statement | null }> {
  if (error.position !== null) {
    const offset = indexOfCharPosition(file.text, error.position);
    const statement = statementAt(file, offset);
    return { range: file.rangeOf(offset, Math.max(offset, statement?.range.end ?? offset)), statement };
  }
  const found = await findFailingStatement(db, file, notRun);
  if (!found) return { range: file.rangeOf(0, 0), statement: null };
  const { statement, error: alone } = found;
  if (alone.position !== null && alone.code === error.code) {
    const offset = statement.range.start + indexOfCharPosition(statement.text, alone.position);
    return { range: file.rangeOf(offset, Math.max(offset, statement.range.end)), statement };
  }
  return { range: statement.range, statement };
}

async function findFailingStatement(db: ReplayDb, file: ParsedSqlFile, notRun: ReadonlyMap<number, string>): Promise<{ statement: Statement; error: DbError } | null> {
  await db.exec("BEGIN");
  try {
    for (const statement of file.statements) {
      if (statement.nodeType === "TransactionStmt" || notRun.has(statement.range.start)) continue;
      try {
        await db.exec(statement.text);
      } catch (err) {
        const error = dbError(err);
        if (!error) throw err;
        return { statement, error };
      }
    }
    return null;
  } finally {
    await db.exec("ROLLBACK").catch(() => undefined);
  }
}

function describeError(error: DbError): string {
  let text = `${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ""}.`;
  if (error.detail) text += ` Detail: ${error.detail}`;
  if (error.hint) text += ` Hint: ${error.hint}`;
  if (error.where && !error.detail && /PL\/pgSQL|SQL function|SQL statement/.test(error.where)) text += ` Context: ${error.where.split("\n")[0]}`;
  return text.replace(/([^.])$/, "$1.");
}

function helpFor(error: DbError): { help?: string } {
  switch (error.code) {
    case "25001":
      return {
        help: "Prisma sends migration.sql as one script, which Postgres runs as one transaction. Put the statement that refuses a transaction block (CREATE INDEX CONCURRENTLY, ...) alone in its own migration.",
      };
    case "55P04":
      return { help: "New enum values must be committed before they are used: add the value in one migration and use it in a later one." };
    default:
      return {};
  }
}

function missingExtension(error: DbError): string | null {
  const notAvailable = /extension "([^"]+)" is not available/.exec(error.message);
  if (notAvailable) return notAvailable[1]!;
  const noControlFile = /could not open extension control file ".*\/([^/"]+)\.control"/.exec(error.message);
  return noControlFile ? noControlFile[1]! : null;
}

/** For the CLI: the target `--database-url` names, password redacted. */
export function describeDatabaseUrl(url: string): string {
  return redactUrl(url);
}
