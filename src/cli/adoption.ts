/**
 * The line that ends a human-readable report on a project's first run: when most findings are in
 * migrations older than the newest few (applied long ago, most likely), it says how to adopt the linter
 * without them. Never part of JSON, SARIF or the other machine formats.
 */
import path from "node:path";
import type { LintResult } from "../engine/results.js";
import type { ProjectReport } from "../api/lint.js";

/** Migrations this recent are the ones being worked on; findings in older ones are history. */
export const RECENT_MIGRATIONS = 5;

/** Formats read by people, which the hint may end. */
export const HUMAN_FORMATS = new Set(["stylish", "compact", "markdown"]);

export interface AdoptionState {
  /** Already adopting, or linting a selection: `--base`, `--staged`, paths, `startAfter`, or a baseline in use. */
  narrowed: boolean;
  /** The working directory is in a git repository, so CI can lint only what a pull request adds. */
  inGit: boolean;
}

export function adoptionHint(results: LintResult[], projects: Array<Pick<ProjectReport, "migrationsDir" | "baseline">>, state: AdoptionState): string | null {
  if (state.narrowed || projects.some((p) => p.baseline)) return null;
  let total = 0;
  let old = 0;
  let newest: string | undefined;
  for (const project of projects) {
    // every linted migration has a result, with or without findings: its folder name orders it
    const inProject = results.filter((r) => path.dirname(path.dirname(r.filePath)) === project.migrationsDir);
    const names = inProject.map((r) => path.basename(path.dirname(r.filePath))).sort();
    const recent = new Set(names.slice(-RECENT_MIGRATIONS));
    for (const r of inProject) {
      total += r.messages.length;
      if (!recent.has(path.basename(path.dirname(r.filePath)))) old += r.messages.length;
    }
    if (projects.length === 1) newest = names.at(-1);
  }
  if (old === 0 || old * 2 <= total) return null;
  const startAfter = newest ? `set startAfter: "${newest}" in the config` : "set startAfter in the config to the newest migration";
  const ci = state.inGit ? ", and in CI lint only what a pull request adds with `migration-lint --base origin/main`" : "";
  return `migration-lint: ${old} of ${total} findings are in migrations older than the newest ${RECENT_MIGRATIONS}, most likely applied long ago. To adopt without them: record them with \`migration-lint --write-baseline\` (later runs report only new findings), or ${startAfter}${ci}.`;
}
