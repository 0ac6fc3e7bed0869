/**
 * One project's lint, as the stages it runs:
 *
 *   readProject     list the migrations, read their text and the schema's, start parsing the schema
 *   scopeOf         which migrations the rules run on (paths, --base / --staged, ignore, startAfter)
 *   the dialect     migration_lock.toml's provider, else the datasource's; its runner model
 *   lintHistory     parse each migration as the linter reaches it, build the catalog, run the rules
 *                   (the cache answers for unchanged migrations)
 *   schemaProblems  what the schema parser or Prisma rejects
 *   replayStage     --replay / --drift-only: apply the history to a throwaway database
 *   directives      inline disable directives, then the cache merged and stored
 *   baselineStage   the baseline's suppressions
 *
 * Nothing here knows a provider: the dialect (src/dialects) parses, models, locks and replays.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { builtinRules } from "../../rules/index.js";
import type { ResolvedConfig } from "../config/types.js";
import type { LintTarget } from "../discover/targets.js";
import { withBufferEntry } from "../discover/buffer.js";
import { fingerprint, lintProject, type LoadedMigration, type MessagesByFile } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import { runnerInput } from "../engine/runner.js";
import { addTime, timedAsync, type PhaseTimings } from "../engine/timings.js";
import { applyAllDirectives, keepOnlyDirectiveData } from "../engine/directives.js";
import { applyBaseline, BASELINE_FILE, readBaseline } from "../engine/baseline.js";
import { migrationChanges, type MigrationChanges } from "../git/changes.js";
import { MigrationLintError } from "../errors.js";
import { hasFile, isUnread, parsePending, pendingMigrations, readMigrationSources, type MigrationSourceText } from "../model/load.js";
import { dialectFor } from "../dialects/index.js";
import type { Dialect } from "../dialects/dialect.js";
import { Catalog } from "../history/catalog.js";
import { LintCache, type FindingsStore } from "../cache/cache.js";
import { defaultCacheFile, resolveCacheLocation } from "../cache/location.js";
import { hashKey } from "../hash.js";
import { cacheConfigKey, mergeAndStore, planFromCache, type CachePlan } from "../cache/plan.js";
import { TOOL_VERSION } from "../version.js";
import { blockedBy, type StatementLocks, type TableLock } from "../dialects/postgres/locks.js";
import { quoteName } from "../engine/rule.js";
import { unpackCachedSchema, readSchemaFiles, type SchemaWorker } from "../schema/load.js";
import type { PrismaSchemaModel } from "../schema/types.js";
import { isCodeMigration, prismaMigrateSource } from "../sources/prisma-migrate.js";
import type { MigrationEntry, RunnerInfo } from "../types.js";
import type { LintOptions, ProjectReport } from "./lint.js";
import type { SourceTexts } from "./source-texts.js";

/** Where a project's lint puts what it finds: messages and suppressed messages by file, and the text of every file read. */
export interface Sinks {
  messages: MessagesByFile;
  suppressed: MessagesByFile;
  sources: SourceTexts;
}

/** Lints one project; the run's projects share one `schemaWorker` (see SchemaWorker). */
export async function lintTarget(target: LintTarget, config: ResolvedConfig, options: LintOptions, sinks: Sinks, schemaWorker: SchemaWorker): Promise<ProjectReport> {
  const { project } = target;
  const read = await readProject(target, config, options, sinks, schemaWorker);
  const { notes, timings, texts, entries, cache } = read;
  const { git, inScope } = scopeOf(target, config, options, entries, notes);
  // without migration_lock.toml the datasource says which provider this is: that needs the schema now
  const dialect = read.lockDialect ?? (await schemaDialect(read.schema.get(), project.schemaPath));
  const runner = dialect.runner(read.runnerFacts);
  const unused = options.reportUnusedDisableDirectives;
  // a severity for unused-directive in the config turns the report on too
  const reportUnused: 0 | 1 | 2 = unused === "warn" ? 1 : unused ? 2 : config.engineSeverities["unused-directive"] ?? 0;

  const history = await lintHistory(target, config, options, sinks, { read, dialect, runner, git, inScope, reportUnused });
  const { byFile, loaded, plan } = history;
  // the schema's own problems, once it is parsed (it may have been parsing in a worker during the lint)
  const schema = read.schema.get();
  schemaProblems(schema, read.schemaFiles, sinks);
  const linted = loaded.filter(inScope);
  for (const m of linted) {
    const file = m.entry.upPath ?? m.entry.dir;
    if (!byFile.has(file)) byFile.set(file, []);
  }
  const replayReport = options.replay || options.driftOnly ? await replayStage(options, sinks, { dialect, runner, loaded, inScope, schema, byFile, texts, timings, cache: cache instanceof LintCache ? cache : null }) : undefined;

  // inline directives apply to freshly linted migrations; cached ones come with theirs applied
  const knownRules = new Set(config.rules.map((r) => r.id).concat(Object.keys(builtinRules)));
  const fresh = linted.filter((m) => !plan?.cached.has(m.index));
  applyAllDirectives(fresh, byFile, sinks.suppressed, { requireReason: config.requireDisableReason, knownRules, reportUnused });
  if (cache && plan) {
    const schemaToStore = read.cachedSchema ? null : { hash: read.schemaHash, data: withoutLookup(schema) };
    mergeAndStore(cache, plan, { root: project.root, configKey: history.configKey, config, texts, loaded, linted, catalog: history.catalog, byFile, suppressed: sinks.suppressed, schemaToStore });
  }
  const { baselinePath, baseline } = baselineStage(options, config, project.root, linted, byFile, sinks);
  // the project's own list when the run has none for the file yet (byFile is this run's, nothing else holds it);
  // forEach: no entry pair made for each file
  byFile.forEach((list, file) => {
    const sunk = sinks.messages.get(file);
    if (sunk) sunk.push(...list);
    else sinks.messages.set(file, list);
  });

  return {
    root: project.root,
    baselinePath,
    baseline,
    ...(replayReport ? { replay: replayReport } : {}),
    schemaFiles: project.schemaFiles,
    migrationsDir: project.migrationsDir,
    migrationCount: loaded.length,
    lintedCount: linted.length,
    uncheckedCount: history.unchecked() + count(linted, (m) => !hasFile(m)),
    ...(cache instanceof LintCache ? { cacheFile: cache.file } : {}),
    parsedCount: count(loaded, (m) => m.index >= (plan?.startIndex ?? 0) && hasFile(m)),
    readCount: count(texts, (t) => t.error === null && !t.vouched),
    dialect: dialect.id,
    runner,
    notes,
    timings,
    ...(history.statementLocks ? { statementLocks: history.statementLocks } : {}),
  };
}

type ProjectInput = Awaited<ReturnType<typeof readProject>>;

/** How many of `list` pass `test` (no list of them made: these are the history's 820 migrations on every resident re-lint). */
function count<T>(list: T[], test: (item: T) => boolean): number {
  let n = 0;
  for (const item of list) if (test(item)) n++;
  return n;
}

/** Discovery: the migrations listed and read, the schema read (its parse started, or taken from the cache), the runner facts and the lock file's dialect. */
async function readProject(target: LintTarget, config: ResolvedConfig, options: LintOptions, sinks: Sinks, schemaWorker: SchemaWorker) {
  const { project } = target;
  const notes = [...project.notes];
  const timings: PhaseTimings = {};
  const started = performance.now();
  // the language server's history in memory, else the --cache file
  const cacheFile = () => (options.cacheLocation ? resolveCacheLocation(options.cwd ? path.resolve(options.cwd) : process.cwd(), options.cacheLocation) : defaultCacheFile(project.root));
  const cache: FindingsStore | null = options.history ?? (options.cache ? LintCache.open(cacheFile(), TOOL_VERSION) : null);
  // a resident process's files: read again only where a watched folder changed (src/cache/resident-files.ts)
  const resident = cache?.files;
  await resident?.settle();
  const schemaFiles = resident ? resident.readSchema(project.schemaFiles, options.unsaved) : readSchemaFiles(project.schemaFiles, options.unsaved);
  for (const file of schemaFiles.files) sinks.sources.set(file.path, file.text);
  const schemaHash = resident ? resident.schemaHash(schemaFiles.files) : hashKey(schemaFiles.files.map((f) => [f.path, f.text]));
  const packedSchema = cache?.schema(project.root, schemaHash);
  const cachedSchema = !packedSchema ? null : resident ? resident.unpackSchema(packedSchema, schemaFiles.files) : unpackCachedSchema(packedSchema, schemaFiles.files);
  const schema = cachedSchema ?? schemaWorker.parse(schemaFiles.files);
  const [listed, runnerFacts] = await Promise.all([
    !project.migrationsDirExists ? Promise.resolve([]) : resident ? resident.listMigrations(project.migrationsDir) : prismaMigrateSource.list(project.migrationsDir),
    resident ? resident.discovery.remember(`runner\0${JSON.stringify([project.root, project.prismaConfigFile, config.prismaVersion, config.runner])}`, () => runnerInput(project, config)) : runnerInput(project, config),
  ]);
  // the provider's dialect parses, models and replays the SQL: migration_lock.toml's provider, else the datasource's (lintTarget)
  const lockDialect = project.lockProvider ? await dialectFor(project.lockProvider, path.join(project.migrationsDir, "migration_lock.toml")) : null;
  const codeMigrations = listed.some(isCodeMigration) ? listed.filter(isCodeMigration).map((e) => e.name) : [];
  if (codeMigrations.length) notes.push(`${codeMigrations.join(", ")}: data migration in code and no migration.sql, left to the project's own migration runner (not linted).`);
  // the listing itself when nothing is left out (a resident process's, the same list every run)
  const listedEntries = codeMigrations.length ? listed.filter((e) => !isCodeMigration(e)) : listed;
  const entries = options.buffer ? withBufferEntry(listedEntries, project, options.buffer.filePath) : listedEntries;
  const texts = resident && !options.buffer ? resident.readSources(project.migrationsDir, entries, options.unsaved) : readMigrationSources(entries, options.buffer ?? options.unsaved, cache?.fileRecords?.(project.root));
  for (const t of texts) if (t.error === null) sinks.sources.setLater(t.entry.upPath!, t);
  addTime(timings, "discovery", performance.now() - started);
  return { notes, timings, cache, schemaFiles, schemaHash, cachedSchema, schema, runnerFacts, lockDialect, entries, texts };
}

/** Which migrations the rules run on; nothing to lint is a failure (or a note with --no-error-on-unmatched-pattern), not a clean run. */
function scopeOf(target: LintTarget, config: ResolvedConfig, options: LintOptions, entries: MigrationEntry[], notes: string[]) {
  const git = options.base || options.staged ? readGitChanges(target.project.migrationsDir, options, notes) : null;
  const inScope = scopeFilter(target, config, git, ignoredByPattern(options));
  // drift-only compares the database with the schema, migrations or not
  const nothing = options.driftOnly || options.buffer ? null : nothingToLint(target, config, entries, inScope, git, options.ignorePatterns ?? []);
  if (nothing) {
    if (options.errorOnUnmatchedPattern !== false) {
      throw new MigrationLintError("project", `${nothing.reason} Nothing was checked; pass --no-error-on-unmatched-pattern if that is expected.`, nothing.file ? { file: nothing.file } : undefined);
    }
    if (!target.project.migrationsDirMissing) notes.push(nothing.reason);
  }
  return { git, inScope };
}

/**
 * The history and the rules: each migration parsed as the linter reaches it (syntax trees dropped after, so memory
 * stays flat on long histories), from the last cached catalog on when the cache has one.
 */
async function lintHistory(
  target: LintTarget,
  config: ResolvedConfig,
  options: LintOptions,
  sinks: Sinks,
  facts: { read: ProjectInput; dialect: Dialect; runner: RunnerInfo; git: MigrationChanges | null; inScope: (m: LoadedMigration) => boolean; reportUnused: 0 | 1 | 2 },
) {
  const { project } = target;
  const { read, dialect, runner, inScope } = facts;
  const { cache, texts, timings } = read;
  const configKey = cacheConfigKey(config, { reportUnused: facts.reportUnused, runner, schemaHash: read.schemaHash, lockProvider: project.lockProvider, hashPluginCode: !!cache });
  // replay and the statements' locks (the HTML report) need every statement, so they take the uncached path
  const plan: CachePlan | null = cache && !options.replay && !options.driftOnly && !options.statementLocks ? planFromCache(cache, project.root, configKey, texts, (i) => inScope({ entry: texts[i]!.entry } as LoadedMigration)) : null;
  const loaded = pendingMigrations(texts, dialect, plan?.startIndex ?? 0);
  if (project.lockError) addTo(sinks.messages, project.lockError.file, lockFileError(project.lockError));

  const catalog = plan?.catalog ?? new Catalog();
  /** The newest linted migration in scope, and the newest overall: kept whole (see `release`). */
  let heldWhole: Array<LoadedMigration | undefined> = [undefined, undefined];
  /** Linted migrations of which not one statement could be read. */
  let unchecked = 0;
  const statementLocks: StatementLocks[] | undefined = options.statementLocks ? [] : undefined;
  const schema = read.schema;
  cache?.sawProject?.(project.root, { dialect, runner, postgresVersion: config.postgresVersion, texts });
  const byFile = await lintProject(
    {
      root: project.root,
      get schema() {
        return schema.get();
      },
      schemaReady: () => schema.ready(),
      migrations: loaded,
      runner,
      dialect,
      postgresVersion: config.postgresVersion,
      lockProvider: project.lockProvider,
      git: facts.git,
      schemaSource: read.schemaFiles.files.map((f) => f.text).join("\n"),
    },
    config.rules,
    inScope,
    {
      catalog,
      startIndex: plan?.startIndex ?? 0,
      cached: plan?.cached ?? new Set(),
      ...(options.ruleTimeBudgetMs ? { ruleTimeBudgetMs: options.ruleTimeBudgetMs } : {}),
      ...(statementLocks
        ? {
            statementLocks: (m, statement, locks) =>
              statementLocks.push({
                file: m.file!.path,
                migration: m.entry.name,
                line: statement.range.loc.start.line,
                endLine: statement.range.loc.end.line,
                locks: statementLockList(locks, dialect),
              }),
          }
        : {}),
      timings,
      // each migration parsed just before it is linted: no rule waits for the schema parsing in a worker (its texts wait:
      // SchemaPart), so parsing ahead while it parses (256 KB, as this did) only held syntax trees longer (+20-35 MB at
      // the peak of the 5,000-migration synthetic history, whose schema takes most of the run)
      prepare: (m) => timedAsync(timings, "parse", () => parsePending(m, texts[m.index]!, dialect)),
      settle: (m) => {
        // a migration the cache answered for whose file nothing read: nothing to keep or count
        if (isUnread(m) || !m.file) return;
        // the language server's history keeps the catalog where an edit may start the next run (of the migrations
        // replayed: those before the plan's start come with their findings from the cache, not applied to the catalog)
        if (m.index >= (plan?.startIndex ?? 0) && cache?.keepsCatalogAfter?.(project.root, m.index, loaded.length)) cache.keepCatalog!(project.root, configKey, texts[m.index]!.chain, structuredClone(catalog.snapshot()));
        if (inScope(m) && m.file.parseErrors.length && m.file.statements.every((st) => st.nodeType === null)) unchecked++;
      },
      release: (m) => {
        if (isUnread(m) || !m.file) return;
        dialect.releaseSyntaxTrees(m.file);
        // replay needs the statements and operations; without it, only what directives read is kept. The newest
        // migration released (in scope, and at all) stays whole: Project:exit hooks run on one of them. A migration
        // whose rule work waited for the schema is released after newer ones (lintProject's `release`).
        if (options.replay || options.driftOnly) return;
        const newer = (a: LoadedMigration | undefined) => !a || m.index > a.index;
        const held = [inScope(m) && newer(heldWhole[0]) ? m : heldWhole[0], newer(heldWhole[1]) ? m : heldWhole[1]];
        for (const old of [...heldWhole, m]) if (old?.file && !held.includes(old)) keepOnlyDirectiveData(old.file);
        heldWhole = held;
      },
    },
  );
  return { byFile, loaded, plan, catalog, configKey, statementLocks, unchecked: () => unchecked };
}

function addTo(messages: MessagesByFile, file: string, message: LintMessage): void {
  const list = messages.get(file) ?? [];
  list.push(message);
  messages.set(file, list);
}

function lockFileError(error: { file: string; line: number; message: string }): LintMessage {
  return {
    ruleId: "parse-error",
    severity: 2,
    fatal: true,
    message: `Cannot parse migration_lock.toml: ${error.message}. Prisma refuses to migrate with a malformed lock file.`,
    line: error.line,
    column: 1,
    endLine: error.line,
    endColumn: 1,
    fingerprint: fingerprint([error.file, "parse-error"]),
  };
}

/** The schema's parse errors, its unreadable files, and what Prisma rejects though the lenient parser here reads on. */
function schemaProblems(schema: PrismaSchemaModel, schemaFiles: ProjectInput["schemaFiles"], sinks: Sinks): void {
  // the unreadable files join the list here, not the model's own errors: the model goes into the cache, and a cached
  // model that carried them was reported with them twice on the next run
  const unreadable = schemaFiles.unreadable.map((u) => ({ file: u.file, message: `cannot read the file (${u.message})`, line: 1, column: 1 }));
  // bad encoding, a NUL byte, an open string, no datasource
  const rejected = [...schemaFiles.problems];
  if (schemaFiles.files.length && !schema.datasourceFile && !schema.errors.length) {
    rejected.push({ file: schemaFiles.files[0]!.path, line: 1, column: 1, message: 'there is no datasource block; Prisma Migrate needs one (datasource db { provider = "postgresql" })' });
  }
  for (const error of [...schema.errors, ...unreadable, ...rejected]) {
    const isRejected = rejected.includes(error);
    addTo(sinks.messages, error.file, {
      ruleId: "parse-error",
      severity: 2,
      fatal: true,
      message: isRejected ? `Prisma rejects this schema: ${error.message}.` : `Cannot parse the Prisma schema: ${error.message}. Rules that point at schema.prisma fields skip this file.`,
      line: error.line,
      column: error.column,
      endLine: error.line,
      endColumn: error.column,
      fingerprint: fingerprint([error.file, "parse-error", error.message]),
    });
  }
}

/** The schema as the cache stores it: without its lookup function. */
function withoutLookup(schema: PrismaSchemaModel) {
  const { modelForTable: _lookup, ...data } = schema;
  return data;
}

/** --replay / --drift-only: the history applied to a throwaway database by the dialect's replay engine; its findings join the rules'. */
async function replayStage(
  options: LintOptions,
  sinks: Sinks,
  run: { dialect: Dialect; runner: RunnerInfo; loaded: LoadedMigration[]; inScope: (m: LoadedMigration) => boolean; schema: PrismaSchemaModel; byFile: MessagesByFile; texts: MigrationSourceText[]; timings: PhaseTimings; cache: LintCache | null },
): Promise<NonNullable<ProjectReport["replay"]>> {
  const { loaded, byFile } = run;
  const { replay } = await run.dialect.loadReplay();
  let seedSql: string | undefined;
  if (options.seed) {
    try {
      seedSql = await readFile(path.resolve(options.seed), "utf8");
    } catch (err) {
      throw new MigrationLintError("usage", `Cannot read the seed file: ${(err as Error).message}`, { file: options.seed });
    }
  }
  const report = await replay({
    migrations: loaded,
    inScope: run.inScope,
    schema: run.schema,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(seedSql !== undefined ? { seedSql } : {}),
    ...(options.driftOnly ? { driftOnly: true } : {}),
    runner: run.runner,
    // with the cache, PGlite starts from the stored data directory of the history's out-of-scope prefix
    ...(run.cache && !options.databaseUrl ? { snapshot: { base: run.cache.file, chains: loaded.map((m) => run.texts[m.index]!.chain) } } : {}),
  });
  // where the trace measured what a static rule predicted, the trace wins
  const { reconcileWithTrace } = await import("../replay/reconcile.js");
  reconcileWithTrace(byFile, sinks.suppressed, report.lockTrace, loaded);
  for (const [file, list] of report.messages) byFile.set(file, [...(byFile.get(file) ?? []), ...list]);
  for (const m of loaded) {
    if (m.entry.downPath && report.messages.has(m.entry.downPath)) {
      const text = await readFile(m.entry.downPath, "utf8").catch(() => null);
      if (text !== null) sinks.sources.set(m.entry.downPath, text);
    }
  }
  addTime(run.timings, "replay", report.timings.totalMs);
  return { database: report.database, totalMs: report.timings.totalMs, applied: report.timings.migrations, restored: report.timings.restored, lockTrace: report.lockTrace };
}

/** The baseline's suppressions, and its own problems (entries that match nothing, expired ones) as findings in the baseline file. */
function baselineStage(options: LintOptions, config: ResolvedConfig, root: string, linted: LoadedMigration[], byFile: MessagesByFile, sinks: Sinks) {
  const baselinePath = typeof options.baseline === "string" ? path.resolve(options.baseline) : config.baseline ?? path.join(root, BASELINE_FILE);
  const baseline = options.baseline === false ? null : readBaseline(baselinePath);
  if (baseline) {
    const problems = applyBaseline(byFile, sinks.suppressed, baseline, new Set(linted.map((m) => m.entry.name)), new Date().toISOString().slice(0, 10));
    if (problems.length) {
      sinks.sources.set(baseline.path, baseline.text);
      byFile.set(baseline.path, [...(byFile.get(baseline.path) ?? []), ...problems]);
    }
  }
  return { baselinePath, baseline };
}

/** A statement's locks as reports show them: tables quoted as messages quote them, one entry per table and mode. */
export function statementLockList(locks: Array<TableLock & { existed: boolean }>, dialect: Dialect): StatementLocks["locks"] {
  return mergeLocks(locks.map((l) => ({ table: quoteName(l.table.schema === dialect.identifiers.defaultSchema ? { schema: null, name: l.table.name } : l.table), mode: l.mode, blocks: blockedBy(l.mode), duration: l.duration, existed: l.existed })));
}

/** How long each duration holds its lock, shortest first: one statement's operations on a table take its lock once, for the longest of them. */
const DURATIONS: StatementLocks["locks"][number]["duration"][] = ["instant", "data", "scan", "index-build", "rewrite"];

/** One entry per table and mode (ALTER TABLE "User" DROP COLUMN a, ADD COLUMN b takes one ACCESS EXCLUSIVE on "User"), held for the longest of its operations. */
function mergeLocks(locks: StatementLocks["locks"]): StatementLocks["locks"] {
  const merged = new Map<string, StatementLocks["locks"][number]>();
  for (const lock of locks) {
    const key = `${lock.table}\0${lock.mode}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, lock);
    else if (DURATIONS.indexOf(lock.duration) > DURATIONS.indexOf(seen.duration)) merged.set(key, { ...seen, duration: lock.duration });
  }
  return [...merged.values()];
}

/** The dialect of the datasource's provider (a project without migration_lock.toml). */
function schemaDialect(schema: PrismaSchemaModel, schemaPath: string) {
  return dialectFor(schema.provider, schema.datasourceFile ?? schemaPath);
}

/** Why a project has nothing to lint, or null. Narrowed runs (paths, --base, --staged) may rightly lint nothing. */
function nothingToLint(target: LintTarget, config: ResolvedConfig, entries: MigrationEntry[], inScope: (m: LoadedMigration) => boolean, git: MigrationChanges | null, ignorePatterns: string[]): { reason: string; file?: string } | null {
  const { project } = target;
  if (project.migrationsDirMissing) return { reason: project.migrationsDirMissing };
  const folder = path.relative(project.root, project.migrationsDir) || ".";
  if (entries.length === 0) return { reason: `No migrations in ${folder}: it holds no migration folders.` };
  if (target.migrations !== null || git || entries.some((entry) => inScope({ entry } as LoadedMigration))) return null;
  const configKeys = [config.startAfter !== undefined ? `"startAfter": ${JSON.stringify(config.startAfter)}` : null, config.ignore.length ? `"ignore": ${JSON.stringify(config.ignore)}` : null].filter(Boolean);
  const keys = [...configKeys, ...ignorePatterns.map((p) => `--ignore-pattern ${JSON.stringify(p)}`)];
  const reason = `${keys.join(" with ")} leaves none of the ${entries.length} migrations in ${folder} to lint (the newest is ${entries.at(-1)!.name}).`;
  return { reason, ...(config.filepath && configKeys.length ? { file: config.filepath } : {}) };
}

function readGitChanges(migrationsDir: string, options: LintOptions, notes: string[]): MigrationChanges | null {
  const changes = migrationChanges({ migrationsDir, ...(options.base ? { base: options.base } : {}), ...(options.staged ? { staged: true } : {}) });
  if ("error" in changes) {
    if (options.base && !/not inside a git repository/.test(changes.error)) throw new MigrationLintError("usage", changes.error);
    notes.push(`${changes.error}: linting every migration; immutable-migration and migration-order are skipped.`);
    return null;
  }
  return changes;
}

/** `--ignore-pattern`: whether a migration's folder name, or its folder's or migration.sql's path from `cwd`, matches a pattern. */
function ignoredByPattern(options: LintOptions): ((entry: MigrationEntry) => boolean) | null {
  if (!options.ignorePatterns?.length) return null;
  const matches = picomatch(options.ignorePatterns, { dot: true });
  const cwd = path.resolve(options.cwd ?? process.cwd());
  return (entry) => matches(entry.name) || matches(path.relative(cwd, entry.dir)) || (entry.upPath !== null && matches(path.relative(cwd, entry.upPath)));
}

/**
 * Which migrations the rules run on: the targeted ones (and, against a git
 * base, only those added or changed since), minus `ignore`, after
 * `startAfter`. All of them still build the history.
 */
function scopeFilter(target: LintTarget, config: ResolvedConfig, git: MigrationChanges | null, ignoredByFlag: ((entry: MigrationEntry) => boolean) | null): (m: LoadedMigration) => boolean {
  const wanted = target.migrations ? new Set(target.migrations) : null;
  const changed = git ? new Set([...git.changes].filter(([, kind]) => kind !== "deleted").map(([name]) => name)) : null;
  const ignored = config.ignore.length ? picomatch(config.ignore) : null;
  return (m) => {
    const name = m.entry.name;
    if (wanted && !wanted.has(name)) return false;
    if (changed && !changed.has(name)) return false;
    if (ignored?.(name) || ignoredByFlag?.(m.entry)) return false;
    if (config.startAfter !== undefined && !(name > config.startAfter)) return false;
    return true;
  };
}
