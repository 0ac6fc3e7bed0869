/** `--debug`: where the run's time went, by phase, for stderr (never stdout, which carries the report). */
import { PHASES, type PhaseTimings } from "../engine/timings.js";

export function formatTimings(timings: PhaseTimings, totalMs: number): string {
  const rows: Array<[string, number]> = [...PHASES.map((phase): [string, number] => [phase, timings[phase] ?? 0]), ["total", totalMs]];
  const lines = rows.map(([name, ms]) => `  ${name.padEnd(10)} ${ms.toFixed(1).padStart(9)}`);
  // the rest of the total: loading the config, plugins and formatters, the supervising worker's start-up
  return `migration-lint: debug: timings in ms (total: the whole command)\n${lines.join("\n")}\n`;
}

/** `--debug`: per project, the cache file in use and how many migrations this run parsed (0 when the cache answered for all). */
export function formatCacheUse(projects: Array<{ root: string; cacheFile?: string; parsedCount: number; readCount: number; migrationCount: number }>, cwd: string, relative: (from: string, to: string) => string): string {
  return projects
    .map((p) => `migration-lint: debug: ${relative(cwd, p.root) || "."}: read ${p.readCount}, parsed ${p.parsedCount} of ${p.migrationCount} migrations; cache ${p.cacheFile ? relative(cwd, p.cacheFile) : "off"}\n`)
    .join("");
}
