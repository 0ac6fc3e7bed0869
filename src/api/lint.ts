/**
 * The lint pipeline behind both the CLI and the programmatic API:
 * config -> discovery -> schema + migrations -> history + rules -> results.
 * No console output, no process.exit: failures reject with MigrationLintError.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { builtinRules } from "../../rules/index.js";
import { findConfig } from "../config/load.js";
import { resolveConfig } from "../config/resolve.js";
import type { MigrationLintConfig, ResolvedConfig } from "../config/types.js";
import { resolveTargets, type LintTarget } from "../discover/targets.js";
import { detectPrismaVersion } from "../discover/prisma-version.js";
import { fingerprint, lintProject, type LoadedMigration, type MessagesByFile } from "../engine/linter.js";
import { toResults, type LintMessage, type LintResult } from "../engine/results.js";
import { resolveRunner } from "../engine/runner.js";
import { MigrationLintError } from "../errors.js";
import { loadMigrations } from "../model/load.js";
import { parseSchemaInBackground, readSchemaFiles } from "../schema/load.js";
import { prismaMigrateSource } from "../sources/prisma-migrate.js";
import type { RunnerInfo } from "../types.js";

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
}

export interface ProjectReport {
  root: string;
  schemaFiles: string[];
  migrationsDir: string;
  migrationCount: number;
  lintedCount: number;
  runner: RunnerInfo;
  notes: string[];
}

export interface LintRun {
  results: LintResult[];
  config: ResolvedConfig;
  projects: ProjectReport[];
  /** File texts by absolute path, for formatters that show source lines. */
  sources: Map<string, string>;
}

const SUPPORTED_PROVIDERS = new Set(["postgresql", "postgres"]);

/** Lints and returns ESLint-shaped results (the CLI's `--format json`). */
export async function lint(options: LintOptions = {}): Promise<LintResult[]> {
  return (await runLint(options)).results;
}

export async function loadConfig(options: { cwd?: string; configFile?: string; config?: MigrationLintConfig } = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const found = options.config ? { config: options.config, filepath: null } : await findConfig({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}) });
  return resolveConfig({ config: found?.config ?? null, filepath: found?.filepath ?? null, builtinRules, cwd });
}

export async function runLint(options: LintOptions = {}): Promise<LintRun> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = await loadConfig({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}), ...(options.config ? { config: options.config } : {}) });
  const schema = options.schema ?? config.schema;
  const migrations = options.migrations ?? config.migrations;
  const targets = await resolveTargets(options.paths ?? [], { cwd, ...(schema ? { schema } : {}), ...(migrations ? { migrations } : {}) });

  const messages: MessagesByFile = new Map();
  const sources = new Map<string, string>();
  const projects: ProjectReport[] = [];
  for (const target of targets) projects.push(await lintTarget(target, config, messages, sources));
  return { results: toResults(messages), config, projects, sources };
}

async function lintTarget(target: LintTarget, config: ResolvedConfig, messages: MessagesByFile, sources: Map<string, string>): Promise<ProjectReport> {
  const { project } = target;
  const addMessage = (file: string, message: LintMessage) => {
    const list = messages.get(file) ?? [];
    list.push(message);
    messages.set(file, list);
  };

  const schemaFiles = readSchemaFiles(project.schemaFiles);
  for (const file of schemaFiles.files) sources.set(file.path, file.text);
  const schemaPromise = parseSchemaInBackground(schemaFiles.files);
  const [entries, detected, prismaConfigText] = await Promise.all([
    project.migrationsDirExists ? prismaMigrateSource.list(project.migrationsDir) : Promise.resolve([]),
    config.prismaVersion ? Promise.resolve(null) : detectPrismaVersion(project.root),
    project.prismaConfigFile ? readFile(project.prismaConfigFile, "utf8").catch(() => null) : Promise.resolve(null),
  ]);

  const unsupported = (provider: string | null, file: string) => {
    if (provider && !SUPPORTED_PROVIDERS.has(provider)) {
      throw new MigrationLintError("project", `Provider "${provider}" is not supported yet: migration-lint lints PostgreSQL migrations. (MySQL, SQLite and SQL Server are planned.)`, { file });
    }
  };
  unsupported(project.lockProvider, path.join(project.migrationsDir, "migration_lock.toml"));
  const loaded = await loadMigrations(entries);
  const schema = await schemaPromise;
  if (!project.lockProvider) unsupported(schema.provider, schema.datasourceFile ?? project.schemaPath);
  for (const unreadable of schemaFiles.unreadable) schema.errors.push({ file: unreadable.file, message: `cannot read the file (${unreadable.message})`, line: 1, column: 1 });

  for (const error of schema.errors) {
    addMessage(error.file, {
      ruleId: "parse-error",
      severity: 2,
      fatal: true,
      message: `Cannot parse the Prisma schema: ${error.message}. Rules that point at schema.prisma fields skip this file.`,
      line: error.line,
      column: error.column,
      endLine: error.line,
      endColumn: error.column,
      fingerprint: fingerprint([error.file, "parse-error", error.message]),
    });
  }
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

  for (const m of loaded) if (m.file) sources.set(m.file.path, m.file.text);
  const runner = resolveRunner({ configuredVersion: config.prismaVersion, detected, prismaConfigText });
  const inScope = scopeFilter(target, config);

  const byFile = lintProject({ root: project.root, schema, migrations: loaded, runner, postgresVersion: config.postgresVersion, lockProvider: project.lockProvider }, config.rules, inScope);
  let lintedCount = 0;
  for (const m of loaded) {
    if (!inScope(m)) continue;
    lintedCount++;
    const file = m.entry.upPath ?? m.entry.dir;
    if (!messages.has(file)) messages.set(file, []);
  }
  for (const [file, list] of byFile) for (const message of list) addMessage(file, message);

  return {
    root: project.root,
    schemaFiles: project.schemaFiles,
    migrationsDir: project.migrationsDir,
    migrationCount: loaded.length,
    lintedCount,
    runner,
    notes: project.notes,
  };
}

/** Which migrations the rules run on: the targeted ones, minus `ignore`, after `startAfter`. All still build the history. */
function scopeFilter(target: LintTarget, config: ResolvedConfig): (m: LoadedMigration) => boolean {
  const wanted = target.migrations ? new Set(target.migrations) : null;
  const ignored = config.ignore.length ? picomatch(config.ignore) : null;
  return (m) => {
    const name = m.entry.name;
    if (wanted && !wanted.has(name)) return false;
    if (ignored?.(name)) return false;
    if (config.startAfter !== undefined && !(name > config.startAfter)) return false;
    return true;
  };
}
