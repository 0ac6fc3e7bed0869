/**
 * Lint migrations given as text, without a project on disk: for tests, the
 * rule tester, editors and other tools. The history is every migration
 * given, in order; rules run on those `lint` selects (default: the last).
 */
import path from "node:path";
import { builtinRules } from "../../rules/index.js";
import { requireSomeRule, resolveConfig } from "../config/resolve.js";
import type { RuleModule } from "../engine/rule.js";
import type { MigrationLintConfig } from "../config/types.js";
import { lintProject, type LoadedMigration } from "../engine/linter.js";
import { toResults, type LintMessage, type LintResult } from "../engine/results.js";
import { applyAllDirectives } from "../engine/directives.js";
import { dialectIdOf, loadDialect } from "../dialects/index.js";
import { parsePrismaSchema } from "../schema/parse-schema.js";

export interface LintTextOptions {
  /** The history in apply order: folder name and migration.sql text. */
  migrations: Array<{ name: string; sql: string }>;
  /** Names of the migrations to lint (default: the last one). */
  lint?: string[];
  /** Configuration (default: `recommended`). */
  config?: MigrationLintConfig;
  /** schema.prisma text, for rules that point at models and fields. */
  schema?: string;
  /** Prisma version for the runner model (default: unknown, i.e. whole-file transaction). */
  prismaVersion?: string;
  /** Extra rules (e.g. a plugin's rule under test), enabled through `config.rules`. */
  rules?: Record<string, RuleModule<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Time a rule may spend in its visitors before it is switched off (ms, default 10 000). */
  ruleTimeBudgetMs?: number;
  /** `provider` of migration_lock.toml (default: none). */
  lockProvider?: string;
  /** Folder the virtual project lives in (default: process.cwd()); file paths are `<root>/migrations/<name>/migration.sql`. */
  root?: string;
}

export async function lintText(options: LintTextOptions): Promise<LintResult[]> {
  const root = path.resolve(options.root ?? process.cwd());
  const config = await resolveConfig({ config: options.config ?? null, filepath: null, builtinRules, cwd: root, ...(options.rules ? { extraRules: options.rules } : {}) });
  requireSomeRule(config);
  // the lock file's provider picks the dialect; one without a dialect (a provider-mismatch case) is read as PostgreSQL
  const dialect = await loadDialect((options.lockProvider && dialectIdOf(options.lockProvider)) || "postgresql");
  const migrations: LoadedMigration[] = [];
  for (const [index, m] of options.migrations.entries()) {
    const dir = path.join(root, "migrations", m.name);
    const file = await dialect.parseFile(path.join(dir, "migration.sql"), m.sql);
    migrations.push({ entry: { name: m.name, dir, upPath: file.path, downPath: null, extraFiles: [] }, index, file, error: null });
  }
  const selected = new Set(options.lint ?? (options.migrations.length ? [options.migrations.at(-1)!.name] : []));
  const schemaPath = path.join(root, "schema.prisma");
  const schema = options.schema !== undefined ? parsePrismaSchema([{ path: schemaPath, text: options.schema }]) : null;
  const version = options.prismaVersion ?? config.prismaVersion ?? null;
  const runner = dialect.runner({ configuredVersion: version ?? undefined, detected: null, prismaConfigText: null, configuredRunner: config.runner });
  const messages = await lintProject({ root, schema, migrations, runner, dialect, postgresVersion: config.postgresVersion, lockProvider: options.lockProvider ?? null, schemaText: (file) => (file === schemaPath ? options.schema : undefined) }, config.rules, (m) => selected.has(m.entry.name), options.ruleTimeBudgetMs ? { ruleTimeBudgetMs: options.ruleTimeBudgetMs } : {});
  for (const m of migrations) if (selected.has(m.entry.name) && !messages.has(m.entry.upPath!)) messages.set(m.entry.upPath!, []);
  const suppressed = new Map<string, LintMessage[]>();
  const knownRules = new Set(config.rules.map((r) => r.id).concat(Object.keys(builtinRules)));
  applyAllDirectives(migrations.filter((m) => selected.has(m.entry.name)), messages, suppressed, { requireReason: config.requireDisableReason, knownRules, reportUnused: 0 });
  return toResults(messages, suppressed);
}
