/**
 * The lint pipeline behind both the CLI and the programmatic API:
 * config -> discovery -> schema + migrations -> history + rules -> results.
 * No console output, no process.exit: failures reject with MigrationLintError.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { builtinRules } from "../../rules/index.js";
import { findConfig, locateConfigFile } from "../config/load.js";
import { loadRulesDirs, requireSomeRule, resolveConfig } from "../config/resolve.js";
import type { MigrationLintConfig, ResolvedConfig, RuleSetting } from "../config/types.js";
import { resolveTargets, type LintTarget } from "../discover/targets.js";
import { findProjectsBelow } from "../discover/monorepo.js";
import { lintEachProject, projectConfigs, type SkippedProject } from "./projects.js";
import { detectPrismaVersion } from "../discover/prisma-version.js";
import { bufferDiscoveryPath, bufferMigrationName, withBufferEntry, type EditorBuffer } from "../discover/buffer.js";
import { fingerprint, lintProject, type LoadedMigration, type MessagesByFile } from "../engine/linter.js";
import { toResults, type LintMessage, type LintResult } from "../engine/results.js";
import { applyEngineSeverities } from "../engine/engine-findings.js";
import { runnerInput } from "../engine/runner.js";
import { addTime, addTimings, timedAsync, type PhaseTimings } from "../engine/timings.js";
import { applyAllDirectives, keepOnlyDirectiveData } from "../engine/directives.js";
import { applyBaseline, BASELINE_FILE, readBaseline, type Baseline } from "../engine/baseline.js";
import { migrationChanges, stagedPrismaFiles, type MigrationChanges } from "../git/changes.js";
import { MigrationLintError } from "../errors.js";
import { parsePending, pendingMigrations, readMigrationSources, type MigrationSourceText } from "../model/load.js";
import { dialectFor } from "../dialects/index.js";
import { Catalog } from "../history/catalog.js";
import { codeDigest } from "../cache/code-digest.js";
import { hashKey, LintCache, resolveCacheLocation, type CachedFindings } from "../cache/cache.js";
import { builtCodeDigest, TOOL_VERSION } from "../version.js";
import type { LockTraceEntry } from "../replay/lock-trace-types.js";
import { blockedBy, type StatementLocks } from "../dialects/postgres/locks.js";
import { quoteName } from "../engine/rule.js";
import { unpackCachedSchema, readSchemaFiles, startSchemaParse } from "../schema/load.js";
import type { PrismaSchemaModel } from "../schema/types.js";
import { isCodeMigration, prismaMigrateSource } from "../sources/prisma-migrate.js";
import type { MigrationEntry, RunnerInfo } from "../types.js";

export interface LintOptions {
  /** Working directory (default: process.cwd()). */
  cwd?: string;
  /** A configuration object; when given, no config file is searched. */
  config?: MigrationLintConfig;
  /** A config file to use instead of searching. */
  configFile?: string;
  /** Paths to lint: migration folders, migration.sql / down.sql files, .prisma files or project roots. Default: the project at `cwd`. */
  paths?: string[];
  /** Schema file or folder (overrides config and discovery). */
  schema?: string;
  /** Migrations folder (overrides config and discovery). */
  migrations?: string;
  /** Lint only migrations added or changed since the merge base with this git ref (the whole history still builds the catalog). */
  base?: string;
  /** Lint only migrations with staged changes (compared with HEAD), for pre-commit hooks. */
  staged?: boolean;
  /** Report inline disable directives that suppressed nothing (`true` = error, or a severity). */
  reportUnusedDisableDirectives?: boolean | "warn" | "error";
  /** Also apply the migrations to a throwaway Postgres (PGlite, or `databaseUrl`) and report what really happens (`--replay`). */
  replay?: boolean;
  /** Real Postgres for replay (a scratch database is created and dropped); default: PGlite in-process. */
  databaseUrl?: string;
  /** Only compare the database (or the replayed history) with schema.prisma, read-only (`--drift-only`). */
  driftOnly?: boolean;
  /** SQL file applied before the first migration in scope, so data-dependent failures happen for real (`--seed`). */
  seed?: string;
  /** A configuration already resolved with `loadConfig()` (then `config`, `configFile` and `rulesDirs` are not read again). */
  resolvedConfig?: ResolvedConfig;
  /** Rules to leave out of this run (the supervisor uses it to rerun without a rule that hung). */
  disabledRules?: string[];
  /** Time a rule may spend in its visitors over a run before it is switched off (ms, default 10 000). */
  ruleTimeBudgetMs?: number;
  /** Folders of extra rule files (`--rulesdir`), enabled through `rules` in the config. */
  rulesDirs?: string[];
  /**
   * Migrations not to report, on top of the config's `ignore` (`--ignore-pattern`): globs matched against the
   * folder name, as `ignore` is, and against the folder's and its migration.sql's paths relative to `cwd`.
   */
  ignorePatterns?: string[];
  /** Rule settings over the config's (`--rule`), as in `rules`. */
  ruleOverrides?: Record<string, RuleSetting>;
  /** Reuse the findings and catalog of unchanged migrations between runs (`--cache`). */
  cache?: boolean;
  /** Cache file or folder (default `.migration-lint-cache` in `cwd`). */
  cacheLocation?: string;
  /**
   * When a project has nothing to lint (no migrations folder, an empty one, or `startAfter` / `ignore` leaving
   * no migration in scope), runLint rejects with a MigrationLintError, like ESLint's "No files matching". `false`
   * makes it a note in the project's report instead (`--no-error-on-unmatched-pattern`). Default true.
   */
  errorOnUnmatchedPattern?: boolean;
  /** Record the table locks each statement of a linted migration takes (`projects[].statementLocks`; the HTML report asks for them). */
  statementLocks?: boolean;
  /** Throw NeedsSupervision rather than import a project's own code config or plugins on this thread (the CLI then supervises). */
  superviseCode?: boolean;
  /**
   * Lint this text as the migration.sql at `filePath` (relative to `cwd`; its folder may not exist yet) instead of
   * the file on disk, with the rest of the history from disk; only that migration is linted (`--stdin`).
   */
  buffer?: EditorBuffer;
  /** Baseline file; `false` ignores any baseline. Default: config `baseline`, else `.migration-lint-baseline.json` in the project root when it exists. */
  baseline?: string | false;
}

export interface ProjectReport {
  root: string;
  /** With `replay`: where it ran (password redacted), how long it took, and the per-statement lock trace. */
  replay?: { database: string; totalMs: number; applied: number; restored: number; lockTrace: LockTraceEntry[] };
  /** The baseline file in use (or the default path where `--write-baseline` writes it). */
  baselinePath: string;
  baseline: Baseline | null;
  schemaFiles: string[];
  migrationsDir: string;
  migrationCount: number;
  lintedCount: number;
  /** Linted migrations that could not be checked at all: unreadable, or not one statement parsed. */
  uncheckedCount: number;
  /** Migrations parsed in this run (fewer than migrationCount when the cache supplied the rest). */
  parsedCount: number;
  runner: RunnerInfo;
  notes: string[];
  /** Milliseconds spent on this project by phase (discovery, parse, history, rules, replay), what `--debug` prints. */
  timings: PhaseTimings;
  /** With `statementLocks`: each statement of a freshly linted migration that takes table locks (not those the cache supplied). */
  statementLocks?: StatementLocks[];
}

export interface LintRun {
  results: LintResult[];
  config: ResolvedConfig;
  projects: ProjectReport[];
  /** File texts by absolute path, for formatters that show source lines. */
  sources: Map<string, string>;
  /** Milliseconds by phase over the whole run: every project's, and finding the projects (`discovery`). */
  timings: PhaseTimings;
  /** Projects not linted (a provider not supported, no migrations) while others were, and why. */
  skipped?: SkippedProject[];
}

/** Lints and returns ESLint-shaped results (the CLI's `--format json`). */
export async function lint(options: LintOptions = {}): Promise<LintResult[]> {
  return (await runLint(options)).results;
}

export async function loadConfig(options: { cwd?: string; configFile?: string; config?: MigrationLintConfig; rulesDirs?: string[]; ruleOverrides?: Record<string, RuleSetting> } = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const found = options.config ? { config: options.config, filepath: null } : await findConfig({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}) });
  return resolveFoundConfig(found, { cwd, ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}), ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}) });
}

/** A configuration object already read (by findConfig): its plugins and `rulesDirs` are imported here, once. */
export async function resolveFoundConfig(found: FoundConfig | null, options: { cwd: string; rulesDirs?: string[]; ruleOverrides?: Record<string, RuleSetting> }): Promise<ResolvedConfig> {
  const extraRules = options.rulesDirs?.length ? await loadRulesDirs(options.rulesDirs, options.cwd) : undefined;
  return resolveConfig({
    config: found?.config ?? null,
    filepath: found?.filepath ?? null,
    builtinRules,
    cwd: options.cwd,
    ...(extraRules ? { extraRules } : {}),
    ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}),
  });
}

export interface FoundConfig {
  config: MigrationLintConfig;
  filepath: string | null;
}

export async function runLint(options: LintOptions = {}): Promise<LintRun> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = options.resolvedConfig ? { ...options.resolvedConfig } : await loadConfig({
    cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}),
    ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}),
  });
  // replay and drift-only check the database whatever the rules
  if (!options.replay && !options.driftOnly) requireSomeRule(config);
  if (options.disabledRules?.length) config.rules = config.rules.filter((r) => !options.disabledRules!.includes(r.id));
  const schema = options.schema ?? config.schema;
  const migrations = options.migrations ?? config.migrations;
  const resolveOptions = { cwd, ...(schema ? { schema } : {}), ...(migrations ? { migrations } : {}) };
  const timings: PhaseTimings = {};
  const started = performance.now();
  const skipped: SkippedProject[] = [];
  const buffer = options.buffer ? { ...options.buffer, filePath: path.resolve(cwd, options.buffer.filePath) } : undefined;
  const paths = buffer ? [bufferDiscoveryPath(buffer.filePath)] : options.paths ?? [];
  const found = await resolveTargets(paths, resolveOptions).catch(async (err: unknown) => {
    // --staged where there is no Prisma project (a monorepo's root, where pre-commit runs a hook given no
    // files): lint the projects the staged migration and schema files belong to, each as a whole
    const noProjectHere = !paths.length && !schema && !migrations && err instanceof MigrationLintError && err.kind === "project";
    const staged = options.staged && noProjectHere ? stagedPrismaFiles(cwd) : [];
    if (staged.length) return (await resolveTargets(staged, resolveOptions)).map((target): LintTarget => ({ ...target, migrations: null }));
    // a monorepo's root: every project below it
    const below = noProjectHere && !options.staged ? await findProjectsBelow(cwd) : null;
    if (!below?.targets.length) throw err;
    for (const { file, message } of below.passedOver) skipped.push({ path: file, message });
    return below.targets;
  });
  const targets = buffer ? found.map((target) => ({ ...target, migrations: [bufferMigrationName(buffer.filePath)] })) : found;

  const messages: MessagesByFile = new Map();
  const suppressed: MessagesByFile = new Map();
  const sources = new Map<string, string>();
  addTime(timings, "discovery", performance.now() - started);
  const configFor = projectConfigs(config, {
    cwd,
    explicit: !!options.config || (!!options.configFile && path.resolve(cwd, options.configFile) !== locateConfigFile({ cwd })),
    ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}),
    ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}),
    ...(options.disabledRules ? { disabledRules: options.disabledRules } : {}),
    rulesOptional: !!(options.replay || options.driftOnly),
    ...(options.superviseCode ? { superviseCode: true } : {}),
  });
  const configs: Array<{ root: string; config: ResolvedConfig }> = [];
  const each = await lintEachProject(targets, cwd, async (target) => {
    const projectConfig = await configFor(target.project.root);
    if (projectConfig !== config) configs.push({ root: target.project.root, config: projectConfig });
    return lintTarget(target, projectConfig, { ...options, ...(buffer ? { buffer } : {}) }, { messages, suppressed, sources });
  });
  const results = toResults(messages, suppressed);
  // each project's findings take the engine severities of the configuration it was linted with
  const within = (root: string, file: string) => file.startsWith(root + path.sep);
  applyEngineSeverities(results.filter((r) => !configs.some((c) => within(c.root, r.filePath))), config.engineSeverities ?? {});
  for (const c of configs) applyEngineSeverities(results.filter((r) => within(c.root, r.filePath)), c.config.engineSeverities ?? {});
  for (const project of each.reports) addTimings(timings, project.timings);
  return { results, config, projects: each.reports, sources, timings, skipped: [...skipped, ...each.skipped] };
}

interface Sinks {
  messages: MessagesByFile;
  suppressed: MessagesByFile;
  sources: Map<string, string>;
}

/**
 * At most this much SQL is parsed ahead of the linter while the schema parses in a worker (syntax trees are
 * held until linted). 1 MB held ~30 MB more at the peak of a 5,000-migration history than 256 KB, and was no
 * faster on trigger.dev (820 migrations, 0.75 s either way).
 */
const PARSE_AHEAD_CHARS = 256 * 1024;

async function lintTarget(target: LintTarget, config: ResolvedConfig, options: LintOptions, sinks: Sinks): Promise<ProjectReport> {
  const { project } = target;
  const { messages, sources } = sinks;
  const notes = [...project.notes];
  const timings: PhaseTimings = {};
  const discoveryStarted = performance.now();
  const addMessage = (file: string, message: LintMessage) => {
    const list = messages.get(file) ?? [];
    list.push(message);
    messages.set(file, list);
  };

  const cache = options.cache ? LintCache.open(resolveCacheLocation(options.cwd ? path.resolve(options.cwd) : process.cwd(), options.cacheLocation), TOOL_VERSION) : null;
  const schemaFiles = readSchemaFiles(project.schemaFiles);
  for (const file of schemaFiles.files) sources.set(file.path, file.text);
  const schemaHash = hashKey(schemaFiles.files.map((f) => [f.path, f.text]));
  const packedSchema = cache?.schema(project.root, schemaHash);
  const cachedSchema = packedSchema ? unpackCachedSchema(packedSchema, schemaFiles.files) : null;
  const schemaHandle = cachedSchema ?? startSchemaParse(schemaFiles.files);
  const [listed, runnerFacts] = await Promise.all([
    project.migrationsDirExists ? prismaMigrateSource.list(project.migrationsDir) : Promise.resolve([]),
    runnerInput(project, config),
  ]);

  // the provider's dialect parses, models and replays the SQL: migration_lock.toml's provider, else the datasource's (below)
  const lockDialect = project.lockProvider ? await dialectFor(project.lockProvider, path.join(project.migrationsDir, "migration_lock.toml")) : null;

  const codeMigrations = listed.filter(isCodeMigration).map((e) => e.name);
  if (codeMigrations.length) notes.push(`${codeMigrations.join(", ")}: data migration in code and no migration.sql, left to the project's own migration runner (not linted).`);
  const listedEntries = listed.filter((e) => !isCodeMigration(e));
  const entries = options.buffer ? withBufferEntry(listedEntries, project, options.buffer.filePath) : listedEntries;
  const texts = readMigrationSources(entries, options.buffer);
  for (const t of texts) if (t.text !== null) sources.set(t.entry.upPath!, t.text);
  addTime(timings, "discovery", performance.now() - discoveryStarted);
  const git = options.base || options.staged ? readGitChanges(project.migrationsDir, options, notes) : null;
  const inScope = scopeFilter(target, config, git, ignoredByPattern(options));
  // nothing to lint is a failure, not a clean run; drift-only compares the database with the schema, migrations or not
  const nothing = options.driftOnly || options.buffer ? null : nothingToLint(target, config, entries, inScope, git, options.ignorePatterns ?? []);
  if (nothing) {
    if (options.errorOnUnmatchedPattern !== false) {
      throw new MigrationLintError("project", `${nothing.reason} Nothing was checked; pass --no-error-on-unmatched-pattern if that is expected.`, nothing.file ? { file: nothing.file } : undefined);
    }
    if (!project.migrationsDirMissing) notes.push(nothing.reason);
  }
  // without migration_lock.toml the datasource says which provider this is: that needs the schema now
  const dialect = lockDialect ?? (await schemaDialect(schemaHandle.get(), project.schemaPath));
  const runner = dialect.runner(runnerFacts);
  const unused = options.reportUnusedDisableDirectives;
  // a severity for unused-directive in the config turns the report on too
  const reportUnused: 0 | 1 | 2 = unused === "warn" ? 1 : unused ? 2 : config.engineSeverities["unused-directive"] ?? 0;

  // with the cache: reuse the findings of unchanged migrations and parse only from the last cached catalog on
  // the code of every rule that runs: ours by the tool version and the digest of the built code (a rebuilt dist of the
  // same version misses), a plugin's or rules folder's by its content
  const digests = new Map<string, string>();
  const configKey = hashKey([
    TOOL_VERSION,
    builtCodeDigest(),
    config.rules.map((r) => [r.id, r.severity, r.options, r.source && cache ? codeDigest(r.source, digests) : null]),
    config.postgresVersion,
    config.requireDisableReason,
    reportUnused,
    runner.model,
    schemaHash,
    project.lockProvider,
  ]);
  // replay and the statements' locks (the HTML report) need every statement, so they take the uncached path
  const plan = cache && !options.replay && !options.driftOnly && !options.statementLocks ? planFromCache(cache, project.root, configKey, texts, (i) => inScope({ entry: texts[i]!.entry } as LoadedMigration)) : null;
  // parsed one by one as the linter reaches them, and their syntax trees dropped after (memory stays flat on long histories)
  const loaded = pendingMigrations(texts, dialect, plan?.startIndex ?? 0);

  if (project.lockError) {
    addMessage(project.lockError.file, {
      ruleId: "parse-error",
      severity: 2,
      fatal: true,
      message: `Cannot parse migration_lock.toml: ${project.lockError.message}. Prisma refuses to migrate with a malformed lock file.`,
      line: project.lockError.line,
      column: 1,
      endLine: project.lockError.line,
      endColumn: 1,
      fingerprint: fingerprint([project.lockError.file, "parse-error"]),
    });
  }

  const catalog = plan?.catalog ?? new Catalog();
  /** The newest linted migration in scope, and the newest overall: kept whole (see `release`). */
  let heldWhole: Array<LoadedMigration | undefined> = [undefined, undefined];
  /** Linted migrations of which not one statement could be read. */
  let unchecked = 0;
  const statementLocks: StatementLocks[] | undefined = options.statementLocks ? [] : undefined;
  const byFile = await lintProject(
    {
      root: project.root,
      get schema() {
        return schemaHandle.get();
      },
      migrations: loaded,
      runner,
      dialect,
      postgresVersion: config.postgresVersion,
      lockProvider: project.lockProvider,
      git,
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
                locks: mergeLocks(locks.map((l) => ({ table: quoteName(l.table.schema === dialect.identifiers.defaultSchema ? { schema: null, name: l.table.name } : l.table), mode: l.mode, blocks: blockedBy(l.mode), duration: l.duration, existed: l.existed }))),
              }),
          }
        : {}),
      timings,
      prepare: (m) => timedAsync(timings, "parse", async () => {
        await parsePending(m, texts[m.index]!, dialect);
        // while the schema is still parsing in a worker, parse the next migrations instead of waiting on it when a rule first asks
        for (let next = m.index + 1, ahead = 0; !schemaHandle.ready() && next < loaded.length && ahead < PARSE_AHEAD_CHARS; next++) {
          if (!loaded[next]!.pending) continue;
          ahead += texts[next]!.text?.length ?? 0;
          await parsePending(loaded[next]!, texts[next]!, dialect);
        }
      }),
      release: (m) => {
        if (!m.file) return;
        if (inScope(m) && m.file.parseErrors.length && m.file.statements.every((st) => st.nodeType === null)) unchecked++;
        dialect.releaseSyntaxTrees(m.file);
        // replay needs the statements and operations; without it, only what directives read is kept. The newest
        // migration released (in scope, and at all) stays whole until the next: Project:exit hooks run on one of them.
        if (options.replay || options.driftOnly) return;
        const held = inScope(m) ? [m, m] : [heldWhole[0], m];
        for (const old of heldWhole) if (old?.file && !held.includes(old)) keepOnlyDirectiveData(old.file);
        heldWhole = held;
      },
    },
  );
  // the schema's own problems, once it is parsed (it may have been parsing in a worker during the lint)
  const schema = schemaHandle.get();
  // the unreadable files join the list here, not the model's own errors: the model goes into the cache, and a cached
  // model that carried them was reported with them twice on the next run
  const unreadable = schemaFiles.unreadable.map((u) => ({ file: u.file, message: `cannot read the file (${u.message})`, line: 1, column: 1 }));
  // what Prisma rejects though the lenient parser here reads on: bad encoding, a NUL byte, an open string, no datasource
  const rejected = [...schemaFiles.problems];
  if (schemaFiles.files.length && !schema.datasourceFile && !schema.errors.length) {
    rejected.push({ file: schemaFiles.files[0]!.path, line: 1, column: 1, message: 'there is no datasource block; Prisma Migrate needs one (datasource db { provider = "postgresql" })' });
  }
  for (const error of [...schema.errors, ...unreadable, ...rejected]) {
    const isRejected = rejected.includes(error);
    addMessage(error.file, {
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
  const linted = loaded.filter(inScope);
  for (const m of linted) {
    const file = m.entry.upPath ?? m.entry.dir;
    if (!byFile.has(file)) byFile.set(file, []);
  }

  let replayReport: ProjectReport["replay"];
  if (options.replay || options.driftOnly) {
    const { replay } = await dialect.loadReplay();
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
      inScope,
      schema,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(seedSql !== undefined ? { seedSql } : {}),
      ...(options.driftOnly ? { driftOnly: true } : {}),
      runner,
      // with the cache, PGlite starts from the stored data directory of the history's out-of-scope prefix
      ...(cache && !options.databaseUrl ? { snapshot: { base: cache.file, chains: loaded.map((m) => texts[m.index]!.chain) } } : {}),
    });
    // where the trace measured what a static rule predicted, the trace wins
    const { reconcileWithTrace } = await import("../replay/reconcile.js");
    reconcileWithTrace(byFile, sinks.suppressed, report.lockTrace, loaded);
    for (const [file, list] of report.messages) byFile.set(file, [...(byFile.get(file) ?? []), ...list]);
    for (const m of loaded) {
      if (m.entry.downPath && report.messages.has(m.entry.downPath)) {
        const text = await readFile(m.entry.downPath, "utf8").catch(() => null);
        if (text !== null) sources.set(m.entry.downPath, text);
      }
    }
    addTime(timings, "replay", report.timings.totalMs);
    replayReport = { database: report.database, totalMs: report.timings.totalMs, applied: report.timings.migrations, restored: report.timings.restored, lockTrace: report.lockTrace };
  }

  // inline directives apply to freshly linted migrations; cached ones come with theirs applied
  const knownRules = new Set(config.rules.map((r) => r.id).concat(Object.keys(builtinRules)));
  const fresh = linted.filter((m) => !plan?.cached.has(m.index));
  applyAllDirectives(fresh, byFile, sinks.suppressed, { requireReason: config.requireDisableReason, knownRules, reportUnused });
  if (cache && plan) {
    const gitRuleIds = new Set(config.rules.filter((r) => r.rule.meta.requires?.git).map((r) => r.id));
    const store: Record<string, CachedFindings> = {};
    for (const m of linted) {
      const file = m.entry.upPath;
      const chain = texts[m.index]!.chain;
      if (!file || !m.file) continue;
      const hit = plan.cached.has(m.index) ? plan.hits.get(m.index) : undefined;
      if (hit) {
        byFile.set(file, [...hit.kept, ...(byFile.get(file) ?? [])]);
        if (hit.suppressed.length) sinks.suppressed.set(file, [...hit.suppressed, ...(sinks.suppressed.get(file) ?? [])]);
        continue;
      }
      store[chain] = {
        kept: (byFile.get(file) ?? []).filter((msg) => !gitRuleIds.has(msg.ruleId ?? "")),
        suppressed: (sinks.suppressed.get(file) ?? []).filter((msg) => !gitRuleIds.has(msg.ruleId ?? "")),
      };
    }
    const last = texts.at(-1);
    const complete = loaded.every((m) => m.file !== null || m.index < plan.startIndex);
    // the catalog after the whole history, unless the cache has it already
    const fresher = last && complete && cache.snapshot(project.root, configKey)?.chain !== last.chain;
    cache.store(project.root, configKey, store, fresher ? { chain: last.chain, catalog: catalog.snapshot() } : null);
    cache.prune(project.root, configKey, new Set(texts.map((t) => t.chain)));
    if (!cachedSchema) {
      const { modelForTable: _lookup, ...data } = schema;
      cache.storeSchema(project.root, schemaHash, data);
    }
    cache.save();
  }

  // then the baseline
  const baselinePath = typeof options.baseline === "string" ? path.resolve(options.baseline) : config.baseline ?? path.join(project.root, BASELINE_FILE);
  const baseline = options.baseline === false ? null : readBaseline(baselinePath);
  if (baseline) {
    const problems = applyBaseline(byFile, sinks.suppressed, baseline, new Set(linted.map((m) => m.entry.name)), new Date().toISOString().slice(0, 10));
    if (problems.length) {
      sources.set(baseline.path, baseline.text);
      byFile.set(baseline.path, [...(byFile.get(baseline.path) ?? []), ...problems]);
    }
  }
  for (const [file, list] of byFile) {
    if (!messages.has(file)) messages.set(file, []);
    for (const message of list) addMessage(file, message);
  }

  return {
    root: project.root,
    baselinePath,
    baseline,
    ...(replayReport ? { replay: replayReport } : {}),
    schemaFiles: project.schemaFiles,
    migrationsDir: project.migrationsDir,
    migrationCount: loaded.length,
    lintedCount: linted.length,
    uncheckedCount: unchecked + linted.filter((m) => !m.file).length,
    parsedCount: loaded.filter((m) => m.index >= (plan?.startIndex ?? 0) && m.file).length,
    runner,
    notes,
    timings,
    ...(statementLocks ? { statementLocks } : {}),
  };
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

interface CachePlan {
  /** Parse and replay from this migration on; the catalog before it comes from the cache. */
  startIndex: number;
  catalog: Catalog | undefined;
  /** In-scope migrations before `startIndex`, whose findings are cached. */
  cached: Set<number>;
  hits: Map<number, CachedFindings>;
}

/**
 * Finds the first in-scope migration without cached findings; everything
 * before it can come from the cache if the cached catalog sits just before it
 * (or later). Otherwise the whole history is parsed and replayed.
 */
function planFromCache(cache: LintCache, root: string, configKey: string, texts: MigrationSourceText[], inScope: (index: number) => boolean): CachePlan {
  const hits = new Map<number, CachedFindings>();
  let firstMiss = texts.length;
  for (const t of texts) {
    if (!inScope(t.index)) continue;
    const hit = t.text !== null ? cache.findings(root, configKey, t.chain) : undefined;
    if (!hit) {
      firstMiss = t.index;
      break;
    }
    hits.set(t.index, hit);
  }
  const snapshot = cache.snapshot(root, configKey);
  const snapshotAt = snapshot ? texts.findIndex((t) => t.chain === snapshot.chain) : -1;
  // the cached catalog is usable when it ends before the first miss; cached in-scope migrations after it are linted again
  if (snapshot && snapshotAt >= 0 && snapshotAt < firstMiss) {
    let catalog: Catalog | undefined;
    try {
      catalog = Catalog.fromSnapshot(snapshot.catalog);
    } catch {
      catalog = undefined;
    }
    if (catalog) return { startIndex: snapshotAt + 1, catalog, cached: new Set([...hits.keys()].filter((i) => i <= snapshotAt)), hits };
  }
  return { startIndex: 0, catalog: undefined, cached: new Set(), hits: new Map() };
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
