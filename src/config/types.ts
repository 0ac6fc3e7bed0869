import type { SeverityInput } from "../types.js";
import type { RuleModule } from "../engine/rule.js";

/** A rule's setting: a severity, or `[severity, options]` like ESLint. */
export type RuleSetting = SeverityInput | [SeverityInput] | [SeverityInput, Record<string, unknown>];

/** The configuration file's shape (stable: these keys are a public contract). */
export interface MigrationLintConfig {
  /** Presets to start from: `recommended`, `strict`, `all`, or a plugin's `plugin:<name>/<config>`. */
  extends?: string | string[];
  /** Rule severities and options, overriding the presets. */
  rules?: Record<string, RuleSetting>;
  /** Plugin packages (`migration-lint-plugin-<name>`, `@scope/migration-lint-plugin`) or paths. */
  plugins?: string[];
  /** Schema file or multi-file schema folder (relative to the config file). */
  schema?: string;
  /** Migrations folder (relative to the config file). */
  migrations?: string;
  /** Postgres major version of production; changes verdicts where Postgres changed (default 14). */
  postgresVersion?: number;
  /** Prisma version, overriding what package.json / the lockfile say. */
  prismaVersion?: string;
  /** Migration folder names or globs not to lint (they still build the history). */
  ignore?: string[];
  /** Lint only migrations whose folder name sorts after this one (they all still build the history). */
  startAfter?: string;
  /** Inline `migration-lint-disable` directives must give a reason after ` -- ` (default true). */
  requireDisableReason?: boolean;
  /** Baseline file of accepted findings (relative to the config file; default `.migration-lint-baseline.json` in the project root). */
  baseline?: string;
  /** What applies the migration files in production: `prisma` (default: `prisma migrate deploy`), `d1` (Cloudflare D1 / wrangler: one transaction per file), `transaction` (any runner that wraps each file in one transaction). */
  runner?: "prisma" | "d1" | "transaction";
}

/** A plugin module's default export. */
export interface MigrationLintPlugin {
  rules?: Record<string, RuleModule<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  configs?: Record<string, MigrationLintConfig>;
}

export interface ResolvedRule {
  id: string;
  rule: RuleModule<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  severity: 1 | 2;
  options: Record<string, unknown>;
  /** The file a plugin or `--rulesdir` rule was loaded from (absent for built-in rules). */
  source?: string;
}

/** A configuration after presets, plugins and option defaults are applied. */
export interface ResolvedConfig {
  /** The file it came from; null when none was found (then `recommended` applies). */
  filepath: string | null;
  extends: string[];
  rules: ResolvedRule[];
  /** Severities set in `rules` for the engine's own findings (parse-error, file-error, ...: src/engine/engine-findings.ts); 0 = off. */
  engineSeverities: Record<string, 0 | 1 | 2>;
  plugins: string[];
  schema: string | undefined;
  migrations: string | undefined;
  postgresVersion: number;
  prismaVersion: string | undefined;
  ignore: string[];
  startAfter: string | undefined;
  requireDisableReason: boolean;
  baseline: string | undefined;
  runner?: "prisma" | "d1" | "transaction" | undefined;
}

/** Identity helper for typed config files: `export default defineConfig({ ... })`. */
export function defineConfig(config: MigrationLintConfig): MigrationLintConfig {
  return config;
}
