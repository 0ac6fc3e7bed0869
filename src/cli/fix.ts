/**
 * The CLI side of --fix, --fix-dry-run and --apply-suggestion (src/fix does the work): which fixes, what is
 * said on stderr, and the results to report (what remains after the fixes).
 */
import path from "node:path";
import type { LintOptions, ProjectReport } from "../api/lint.js";
import type { LintResult } from "../engine/results.js";
import { applySuggestion, FIX_TYPES, fixResults, type FileChange, type FixType } from "../fix/index.js";
import { unifiedDiff } from "../fix/diff.js";

export interface FixCommandContext {
  cwd: string;
  results: LintResult[];
  projects: ProjectReport[];
  ruleTypes: Record<string, string>;
  /** Lints again with these options over the run's (a buffer: one migration with its fixes in place; none: everything). */
  lint: (options: Partial<LintOptions>) => Promise<LintResult[]>;
  base?: string;
  databaseUrl?: string;
}

export interface FixCommandOutcome {
  results: LintResult[];
  /** --fix-dry-run: the unified diff of what --fix would write. */
  diff: string;
  /** One line each (src/cli/main.ts prefixes "migration-lint: "). */
  notes: string[];
  /** The fixed files' new texts, for formatters that show source lines. */
  sources: Array<[string, string]>;
}

export async function fixCommand(values: { fix?: boolean; "fix-dry-run"?: boolean; "fix-type"?: string[]; "apply-suggestion"?: string }, context: FixCommandContext): Promise<FixCommandOutcome> {
  const safety = { ...(context.base !== undefined ? { base: context.base } : {}), ...(context.databaseUrl !== undefined ? { databaseUrl: context.databaseUrl } : {}) };
  if (values["apply-suggestion"] !== undefined) {
    const applied = await applySuggestion({ results: context.results, projects: context.projects, target: values["apply-suggestion"], write: true, ...safety });
    const notes = [...applied.notes, ...applied.changes.map((c) => `${c.before === "" ? "created" : "edited"} ${shown(context.cwd, c)} (${applied.suggestion.desc})`)];
    // new migration folders change the history: everything is linted again
    return { results: await context.lint({}), diff: "", notes, sources: applied.changes.map((c) => [c.filePath, c.after]) };
  }
  const types = values["fix-type"]?.length ? new Set(values["fix-type"].flatMap((t) => t.split(",")).map((t) => t.trim()) as FixType[]) : undefined;
  const write = !!values.fix;
  const outcome = await fixResults({
    results: context.results,
    projects: context.projects,
    lint: (buffer) => context.lint({ buffer }),
    ...(types ? { types } : {}),
    ruleType: (id) => (FIX_TYPES as readonly string[]).includes(context.ruleTypes[id] ?? "") ? (context.ruleTypes[id] as FixType) : undefined,
    write,
    ...safety,
  });
  const notes = [...outcome.notes, ...(write ? outcome.changes.map((c) => `fixed ${shown(context.cwd, c)}`) : [])];
  return { results: outcome.results, diff: write ? "" : unifiedDiff(outcome.changes, context.cwd), notes, sources: outcome.changes.map((c) => [c.filePath, c.after]) };
}

const shown = (cwd: string, change: FileChange) => path.relative(cwd, change.filePath) || change.filePath;
