/**
 * The lint pipeline behind both the CLI and the programmatic API:
 * config -> the projects to lint (targets, a monorepo's projects) -> each project's lint
 * (./lint-project.ts: discovery, scope, dialect, history + rules, replay, directives, cache, baseline)
 * -> ESLint-shaped results with the engine severities of each project's config.
 * No console output, no process.exit: failures reject with MigrationLintError.
 */
import path from "node:path";
import { builtinRules } from "../../rules/index.js";
import { findConfig, locateConfigFile } from "../config/load.js";
import { loadRulesDirs, requireSomeRule, resolveConfig } from "../config/resolve.js";
import type { MigrationLintConfig, ResolvedConfig, RuleSetting } from "../config/types.js";
import { resolveTargets, type LintTarget } from "../discover/targets.js";
import { findProjectsBelow } from "../discover/monorepo.js";
import { lintEachProject, projectConfigs, type SkippedProject } from "./projects.js";
import { lintTarget } from "./lint-project.js";
import { SchemaWorker } from "../schema/load.js";
import { SourceTexts } from "./source-texts.js";
import { bufferDiscoveryPath, bufferMigrationName, type EditorBuffer } from "../discover/buffer.js";
import type { MessagesByFile } from "../engine/linter.js";
import { toResults, type LintResult } from "../engine/results.js";
import { applyEngineSeverities } from "../engine/engine-findings.js";
import { addTime, addTimings, type PhaseTimings } from "../engine/timings.js";
import type { Baseline } from "../engine/baseline.js";
import { stagedPrismaFiles } from "../git/changes.js";
import { MigrationLintError } from "../errors.js";
import type { LockTraceEntry } from "../replay/lock-trace-types.js";
import type { StatementLocks } from "../dialects/postgres/locks.js";
import type { RunnerInfo } from "../types.js";
import type { DialectId } from "../dialects/dialect.js";
import type { FindingsStore } from "../cache/cache.js";

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
  /** Reuse the findings and catalog of unchanged migrations between runs (the CLI's default; off here unless asked). */
  cache?: boolean;
  /** Cache file or folder, relative to `cwd` (default: `node_modules/.cache/migration-lint/` nearest the project root, else the project root). */
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
  /**
   * Files as an editor holds them, unsaved (absolute path -> text): they stand for the files on disk (migration.sql,
   * the schema files). The language server's open documents.
   */
  unsaved?: ReadonlyMap<string, string>;
  /**
   * A history kept in memory by a long-running caller (the language server, src/cache/memory.ts): like `cache`
   * without a file, and with the catalog kept at several points, so that a run after an edit lints from the
   * edited migration on and takes the findings of the migrations before it from memory.
   */
  history?: FindingsStore;
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
  /** The cache file this project's lint read and wrote, when the cache is on. */
  cacheFile?: string;
  /** Migrations parsed in this run (fewer than migrationCount when the cache supplied the rest). */
  parsedCount: number;
  /** migration.sql files read and hashed to know whether they changed (the cache vouched for the others by their size, times and inode). */
  readCount: number;
  /** The dialect the migrations were linted as (migration_lock.toml's provider, else the datasource's). */
  dialect: DialectId;
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
  /** File texts by absolute path, for formatters that show source lines (a file the cache answered for is read when its text is first asked for: src/api/source-texts.ts). */
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
  // a resident process keeps what discovery found while the paths it looked at stay as they were
  const discovery = options.history?.files?.discovery;
  const discover = () => resolveTargets(paths, resolveOptions);
  const found = await (discovery ? discovery.remember(`targets\0${JSON.stringify([paths, resolveOptions])}`, discover) : discover()).catch(async (err: unknown) => {
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
  const sources = new SourceTexts();
  addTime(timings, "discovery", performance.now() - started);
  const configFor = projectConfigs(config, {
    cwd,
    explicit: !!options.config || (!!options.configFile && path.resolve(cwd, options.configFile) !== locateConfigFile({ cwd })),
    ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}),
    ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}),
    ...(options.disabledRules ? { disabledRules: options.disabledRules } : {}),
    rulesOptional: !!(options.replay || options.driftOnly),
    ...(options.superviseCode ? { superviseCode: true } : {}),
    ...(discovery ? { discovery } : {}),
  });
  const configs: Array<{ root: string; config: ResolvedConfig }> = [];
  // one schema worker for the run's projects, kept while a project is still to come
  let toLint = targets.length;
  const schemaWorker = new SchemaWorker(() => toLint > 0);
  const each = await lintEachProject(targets, cwd, async (target) => {
    toLint--;
    const projectConfig = await configFor(target.project.root);
    if (projectConfig !== config) configs.push({ root: target.project.root, config: projectConfig });
    return lintTarget(target, projectConfig, { ...options, ...(buffer ? { buffer } : {}) }, { messages, suppressed, sources }, schemaWorker);
  }).finally(() => schemaWorker.close());
  const results = toResults(messages, suppressed);
  // each project's findings take the engine severities of the configuration it was linted with
  const within = (root: string, file: string) => file.startsWith(root + path.sep);
  // (most configurations set none: then no list of the results is made, 820 of them on a resident re-lint)
  const severities = (c: ResolvedConfig) => (Object.keys(c.engineSeverities ?? {}).length ? c.engineSeverities : null);
  const runSeverities = severities(config);
  if (runSeverities) applyEngineSeverities(results.filter((r) => !configs.some((c) => within(c.root, r.filePath))), runSeverities);
  for (const c of configs) {
    const own = severities(c.config);
    if (own) applyEngineSeverities(results.filter((r) => within(c.root, r.filePath)), own);
  }
  for (const project of each.reports) addTimings(timings, project.timings);
  return { results, config, projects: each.reports, sources, timings, skipped: [...skipped, ...each.skipped] };
}
