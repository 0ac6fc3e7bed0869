#!/usr/bin/env node
/**
 * The resident re-lint, in process: runLint with a history kept in memory (LintOptions.history, as the language
 * server's worker and `migration-lint daemon` call it), on trigger.dev's 820 migrations (../shared/corpus; skipped
 * when absent). One whole-history lint first, then edits that add or remove a DROP COLUMN in the newest migration
 * and in one in the middle, each timed from the call to runLint to its results. No process start-up, no protocol:
 * the lint alone, which is what the "resident re-lint <= 10 ms" target is about.
 *
 *   npm run build && BENCH_RUNS=30 node --liftoff-only --heap-growing-percent=50 bench/relint.mjs
 *   (BENCH_CPU_PROF=/tmp/relint.cpuprofile profiles the edits; BENCH_PROFILE_ONLY=newest edits only the newest)
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, root, triggerDevPrisma } from "./lib.mjs";

const source = triggerDevPrisma();
const { runLint, loadConfig } = await import(path.join(root, "dist/src/index.js"));
const { LintHistory } = await import(path.join(root, "dist/src/cache/memory.js"));
const runs = Number(process.env.BENCH_RUNS ?? 20);
const work = mkdtempSync(path.join(os.tmpdir(), "ml-bench-relint-"));
cpSync(source, path.join(work, "prisma"), { recursive: true });
const copied = Date.now();
const migrationsDir = path.join(work, "prisma/migrations");
const names = readdirSync(migrationsDir).filter((n) => /^\d/.test(n)).sort();
const history = new LintHistory();
const resolvedConfig = await loadConfig({ cwd: work });

async function lintWith(unsaved) {
  history.focus = new Set([...unsaved.keys()].map((f) => path.basename(path.dirname(f))));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const run = await runLint({ cwd: work, resolvedConfig, unsaved, history, errorOnUnmatchedPattern: false, baseline: false });
  const { user, system } = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (user + system) / 1000, run };
}

const first = await lintWith(new Map());
// what discovery read is kept only once it is older than the timestamp granularity allows to trust (RACY_MS, as the
// cache's file records): the project was copied just now, so the edits start once that long has passed
const { RACY_MS } = await import(path.join(root, "dist/src/model/load.js"));
await new Promise((resolve) => setTimeout(resolve, Math.max(0, copied + RACY_MS - Date.now())));
/** `runs` edits of one migration, alternately adding a DROP COLUMN and taking it away. */
async function editTimes(name) {
  const file = path.join(migrationsDir, name, "migration.sql");
  const text = readFileSync(file, "utf8");
  await lintWith(new Map([[file, text]])); // opened: the catalog before it is kept from here on
  const times = [];
  const cpuTimes = [];
  const parsed = [];
  for (let i = 0; i < runs; i++) {
    const edited = i % 2 === 0;
    const { ms, cpuMs, run } = await lintWith(new Map([[file, edited ? `${text}\nALTER TABLE "TaskRun" DROP COLUMN "bench_${i}";\n` : text]]));
    const seen = run.results.find((r) => r.filePath === file)?.messages.some((m) => m.ruleId === "destructive-change" && /bench_/.test(m.message)) ?? false;
    if (seen !== edited) throw new Error(`edit ${i} of ${name}: the DROP COLUMN was ${edited ? "not reported" : "still reported"}`);
    times.push(ms);
    cpuTimes.push(cpuMs);
    parsed.push(run.projects[0].parsedCount);
  }
  return { times, cpuTimes, parsed: median(parsed) };
}

// BENCH_CPU_PROF=<file>: a CPU profile of the edits alone (not of the first lint), for chrome://inspect or bench/profile-summary.mjs
const profiler = process.env.BENCH_CPU_PROF ? await startProfile() : null;
const newest = await editTimes(names.at(-1));
const middle = process.env.BENCH_PROFILE_ONLY === "newest" ? null : await editTimes(names[Math.floor(names.length / 2)]);
if (profiler) await profiler.stop(process.env.BENCH_CPU_PROF);
rmSync(work, { recursive: true, force: true });
const row = (what, r) => `| ${what} | ${median(r.times).toFixed(1)} | ${Math.min(...r.times).toFixed(1)}–${Math.max(...r.times).toFixed(1)} | ${median(r.cpuTimes).toFixed(1)} | ${r.parsed} |`;
console.log(
  [
    `trigger.dev (${names.length} migrations), runLint with LintOptions.history in one process, ${runs} edits each, Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`,
    ``,
    // CPU: the process's user + system time over the edit (all its threads), what the edit costs whatever the load
    `| edit | median ms | range ms | median CPU ms | migrations parsed |`,
    `|---|---:|---:|---:|---:|`,
    row("newest migration", newest),
    ...(middle ? [row("a migration in the middle", middle)] : []),
    ``,
    `First whole-history lint: ${first.ms.toFixed(0)} ms.`,
  ].join("\n"),
);

async function startProfile() {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}
