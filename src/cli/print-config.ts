/**
 * `--print-config`: the resolved configuration, and what discovery found for each project the run would lint
 * (schema files, migrations folder, provider, Prisma version and where it came from, runner model,
 * postgresVersion). The CLI prints it through the same redaction as every other output.
 */
import { loadConfig } from "../api/lint.js";
import { resolveTargets } from "../discover/targets.js";
import { findProjectsBelow } from "../discover/monorepo.js";
import { projectRunner } from "../engine/runner.js";
import { dialectIdOf, loadDialect } from "../dialects/index.js";
import { MigrationLintError } from "../errors.js";
import { readSchemaFiles, startSchemaParse } from "../schema/load.js";
import type { PrismaProject } from "../discover/project.js";
import type { ResolvedConfig, RuleSetting } from "../config/types.js";

const SEVERITY_NAMES = ["off", "warn", "error"] as const;

export interface PrintConfigOptions {
  cwd: string;
  configFile?: string;
  rulesDirs?: string[];
  ruleOverrides?: Record<string, RuleSetting>;
  paths: string[];
  schema?: string;
  migrations?: string;
}

/** The JSON `--print-config` prints, and a note when no project could be discovered (the configuration still prints). */
export async function printConfig(options: PrintConfigOptions): Promise<{ text: string; note?: string }> {
  const { cwd } = options;
  const config = await loadConfig({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}), ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}), ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}) });
  const schema = options.schema ?? config.schema;
  const migrations = options.migrations ?? config.migrations;
  let projects: object[] = [];
  let note: string | undefined;
  try {
    const targets = await resolveTargets(options.paths, { cwd, ...(schema ? { schema } : {}), ...(migrations ? { migrations } : {}) }).catch(async (err: unknown) => {
      // a monorepo's root, as a lint run finds it (src/api/lint.ts): every project below
      const noProjectHere = !options.paths.length && !schema && !migrations && err instanceof MigrationLintError && err.kind === "project";
      const below = noProjectHere ? (await findProjectsBelow(cwd)).targets : [];
      if (!below.length) throw err;
      return below;
    });
    projects = await Promise.all(targets.map((t) => discovered(t.project, config)));
  } catch (err) {
    if (!(err instanceof MigrationLintError)) throw err;
    note = `no project discovered: ${err.format()}`;
  }
  const printable = {
    configFile: config.filepath,
    extends: config.extends,
    rules: {
      ...Object.fromEntries(config.rules.map((r) => [r.id, Object.keys(r.options).length ? [SEVERITY_NAMES[r.severity], r.options] : SEVERITY_NAMES[r.severity]])),
      ...Object.fromEntries(Object.entries(config.engineSeverities).map(([id, severity]) => [id, SEVERITY_NAMES[severity]])),
    },
    plugins: config.plugins,
    schema: config.schema,
    migrations: config.migrations,
    postgresVersion: config.postgresVersion,
    prismaVersion: config.prismaVersion,
    runner: config.runner,
    ignore: config.ignore,
    startAfter: config.startAfter,
    projects,
  };
  return { text: `${JSON.stringify(printable, null, 2)}\n`, ...(note ? { note } : {}) };
}

async function discovered(project: PrismaProject, config: ResolvedConfig): Promise<object> {
  // migration_lock.toml says which provider the migrations were made for; without it, the schema's datasource does
  const provider = project.lockProvider
    ? { provider: project.lockProvider, providerSource: "migration_lock.toml" }
    : { provider: startSchemaParse(readSchemaFiles(project.schemaFiles).files).get().provider, providerSource: "datasource" };
  // the provider's dialect says how its files run (a provider without one is shown as PostgreSQL would run it)
  const runner = await projectRunner(project, config, await loadDialect(dialectIdOf(provider.provider ?? "") ?? "postgresql"));
  return {
    root: project.root,
    schemaFiles: project.schemaFiles,
    schemaSource: project.schemaSource,
    prismaConfigFile: project.prismaConfigFile,
    migrationsDir: project.migrationsDir,
    migrationsDirExists: project.migrationsDirExists,
    ...provider,
    prismaVersion: runner.prismaVersion,
    prismaVersionSource: runner.source,
    runnerModel: runner.model,
    postgresVersion: config.postgresVersion,
    notes: project.notes,
  };
}
