/**
 * Linting several projects in one run (paths from several projects, or a monorepo's root): each project with the
 * configuration nearest to it, as ESLint does, and a project that cannot be linted (a database provider not
 * supported, no migrations) reported and passed over while the others are linted. The run fails only when no
 * project could be linted.
 */
import path from "node:path";
import { findConfig, isCodeConfig, locateConfigFile } from "../config/load.js";
import { loadRulesDirs, requireSomeRule, resolveConfig } from "../config/resolve.js";
import type { ResolvedConfig, RuleSetting } from "../config/types.js";
import type { LintTarget } from "../discover/targets.js";
import { MigrationLintError } from "../errors.js";
import { builtinRules } from "../../rules/index.js";
import { whileLoading } from "../engine/linter.js";
import type { ResidentDiscovery } from "../cache/resident-discovery.js";

export interface SkippedProject {
  /** The project's migrations folder, or the schema file passed over (absolute). */
  path: string;
  /** Why it was not linted: `file:line: message` when a file says why. */
  message: string;
}

/**
 * Thrown when a project's own configuration file is code (or imports plugins) and the run was asked not to import
 * code unsupervised (`LintOptions.superviseCode`): the CLI then runs again in its supervised worker.
 */
export class NeedsSupervision extends Error {
  constructor(readonly file: string) {
    super(`${file} is code and must be loaded under supervision`);
    this.name = "NeedsSupervision";
  }
}

export interface ProjectConfigOptions {
  cwd: string;
  /** The run's configuration: an object (`config`) or a file (`configFile`) given by the caller applies to every project. */
  explicit: boolean;
  rulesDirs?: string[];
  /** `--rule` settings: over every project's config. */
  ruleOverrides?: Record<string, RuleSetting>;
  disabledRules?: string[];
  /** Replay and drift-only check the database whatever the rules: a project config may enable none. */
  rulesOptional?: boolean;
  /** Throw NeedsSupervision instead of importing a project's code config or plugins. */
  superviseCode?: boolean;
  /** A resident process's discovery: the config file search's answer kept while the paths it looked at stay as they were. */
  discovery?: ResidentDiscovery;
}

/**
 * The configuration for a project root: the run's, unless a search from the project's root finds another config
 * file than the run's (a package's own `.migration-lintrc.json` in a monorepo).
 */
export function projectConfigs(runConfig: ResolvedConfig, options: ProjectConfigOptions): (root: string) => Promise<ResolvedConfig> {
  const loaded = new Map<string, Promise<ResolvedConfig>>();
  return async (root) => {
    if (options.explicit) return runConfig;
    const locate = async () => locateConfigFile({ cwd: root });
    const file = options.discovery ? await options.discovery.remember(`config\0${root}`, locate) : await locate();
    if (file === null || file === runConfig.filepath) return runConfig;
    let config = loaded.get(file);
    if (!config) {
      config = loadProjectConfig(file, root, options);
      loaded.set(file, config);
    }
    return config;
  };
}

async function loadProjectConfig(file: string, root: string, options: ProjectConfigOptions): Promise<ResolvedConfig> {
  if (options.superviseCode && isCodeConfig(file)) throw new NeedsSupervision(file);
  // user code (a config module, plugins) is imported where the supervisor sees a loop at import
  const found = await whileLoading(`the configuration ${file}`, () => findConfig({ cwd: root, configFile: file }));
  if (options.superviseCode && found?.config.plugins?.length) throw new NeedsSupervision(file);
  const config = await whileLoading(`the configuration ${file}`, async () => {
    const extraRules = options.rulesDirs?.length ? await loadRulesDirs(options.rulesDirs, options.cwd) : undefined;
    return resolveConfig({ config: found?.config ?? null, filepath: found?.filepath ?? null, builtinRules, cwd: root, ...(extraRules ? { extraRules } : {}), ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}) });
  });
  if (!options.rulesOptional) requireSomeRule(config);
  if (options.disabledRules?.length) config.rules = config.rules.filter((r) => !options.disabledRules!.includes(r.id));
  return config;
}

/**
 * Runs `lintOne` on every target. With several targets, a project whose own setup stops it (a MigrationLintError
 * of kind "project": a provider not supported, nothing to lint) is reported in `skipped` and the others are
 * linted; when every project failed, the run fails (one project: its own error, unchanged).
 */
export async function lintEachProject<T>(targets: LintTarget[], cwd: string, lintOne: (target: LintTarget) => Promise<T>): Promise<{ reports: T[]; skipped: SkippedProject[] }> {
  const reports: T[] = [];
  const skipped: SkippedProject[] = [];
  const failures: MigrationLintError[] = [];
  for (const target of targets) {
    try {
      reports.push(await lintOne(target));
    } catch (err) {
      if (targets.length === 1 || !(err instanceof MigrationLintError) || err.kind !== "project") throw err;
      failures.push(err);
      skipped.push({ path: target.project.migrationsDir, message: err.format() });
    }
  }
  if (reports.length === 0 && failures.length) {
    const each = skipped.map((s) => `${path.relative(cwd, s.path) || "."}: ${s.message}`).join(" | ");
    throw new MigrationLintError("project", `None of the ${failures.length} projects could be linted: ${each}`);
  }
  return { reports, skipped };
}
