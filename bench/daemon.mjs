#!/usr/bin/env node
/**
 * Pre-commit through `migration-lint daemon` on trigger.dev's history (820 migrations, ../shared/corpus; skipped
 * when absent), against the floor of any Node client (`node -e 0`) and squawk's native binary on the same file,
 * interleaved round by round (bench/lib.mjs benchAll), medians. A copy of the project gets a new migration
 * (`99999999999999_bench_new`, rewritten before every run with a run-specific column, as in bench/corpus.mjs), and
 * each tool lints it as a pre-commit hook does: `migration-lint prisma/migrations/99999999999999_bench_new` in the
 * project, the daemon up (its history filled by one run first). For reference, in the same rounds: the same run
 * without the daemon (MIGRATION_LINT_NO_DAEMON=1, the history in the cache file, the new migration not) and `migration-lint --version` (Node's
 * start-up plus bin/'s own, nothing linted). The daemon's own time per request is read from its log.
 *
 *   npm run build && BENCH_RUNS=15 node bench/daemon.mjs      (writes bench/results/daemon.md)
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchAll, ensureSquawk, fmt, machineLine, markdownTable, median, medianRatio, root, snapshotBuild, SQUAWK_VERSION, triggerDevPrisma, triggerDevProject } from "./lib.mjs";

const source = triggerDevPrisma();
const runs = Number(process.env.BENCH_RUNS ?? 10);
const squawk = ensureSquawk();
const tmp = mkdtempSync(path.join(os.tmpdir(), "ml-bench-daemon-"));
const { cli } = snapshotBuild(tmp);
const { project, newDir, newFile, prepare } = triggerDevProject(tmp, source, "bench-daemon");
const relative = path.relative(project, newDir);
// no XDG_RUNTIME_DIR: the daemon's socket is in the copy's own folder, and nothing else finds it
const env = { ...process.env };
delete env.XDG_RUNTIME_DIR;
delete env.MIGRATION_LINT_NO_DAEMON;

const daemon = spawn(process.execPath, [cli, "daemon", "--idle-timeout", "600"], { cwd: project, env, stdio: ["ignore", "ignore", "pipe"] });
let log = "";
daemon.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
while (!/listening/.test(log)) {
  if (daemon.exitCode !== null) throw new Error(`the daemon did not start: ${log}`);
  await new Promise((r) => setTimeout(r, 50));
}

const node = process.execPath;
const options = { cwd: project, env };
const alone = { cwd: project, env: { ...env, MIGRATION_LINT_NO_DAEMON: "1" } };
// the daemon's history and the cache file filled before the new migration, as on a machine where the hook ran before
const cacheFile = path.join(project, ".migration-lint-cache");
const pristine = path.join(tmp, "pristine.cache");
benchAll([{ command: node, args: [cli, "-f", "json"], ...options }, { command: node, args: [cli, "-f", "json"], ...alone }], 0);
cpSync(cacheFile, pristine);
// a run without the daemon finds the history cached and the new migration not (it would store it for the next)
const prepareAlone = (i) => (cpSync(pristine, cacheFile), prepare(i));
const [floor, viaDaemon, squawkRun, withoutDaemon, version] = benchAll(
  [
    { command: node, args: ["-e", "0"], ...options },
    { command: node, args: [cli, relative], prepare, ...options },
    { command: squawk.path, args: ["--reporter", "gcc", newFile], prepare, cwd: tmp },
    { command: node, args: [cli, relative], prepare: prepareAlone, ...alone },
    { command: node, args: [cli, "--version"], ...alone },
  ],
  runs,
);
daemon.kill("SIGTERM");
await new Promise((r) => daemon.on("exit", r));
if (viaDaemon.last.stdout !== withoutDaemon.last.stdout || viaDaemon.last.status !== withoutDaemon.last.status) throw new Error("the daemon's answer differs from a run without it");
const served = [...log.matchAll(/served .* in (\d+) ms/g)].map((m) => Number(m[1]));
const notServed = [...log.matchAll(/not served (.*)/g)].map((m) => m[1]);
if (notServed.length) throw new Error(`runs the daemon did not serve: ${notServed.join("; ")}`);
rmSync(tmp, { recursive: true, force: true });

const row = (what, r, extra = "") => [what, fmt(r.ms), fmt(r.cpuMs), fmt(r.rssMb), medianRatio(r, floor)?.toFixed(2) + "x", medianRatio(r, squawkRun)?.toFixed(1) + "x", extra];
const report = [
  "# Pre-commit through `migration-lint daemon` (bench/daemon.mjs)",
  "",
  `${machineLine()}; squawk ${SQUAWK_VERSION} ${squawk.native ? "native binary" : "npm wrapper (WARNING: a Node start-up in every squawk time)"}; median of ${runs} rounds, the five commands interleaved in each round; a ratio is the median of the per-round ratios.`,
  "",
  `trigger.dev (internal-packages/database, 820 migrations) with a new migration ${path.basename(newDir)} (ADD COLUMN + CREATE INDEX on "TaskRun", rewritten before each run), linted as a pre-commit hook does: \`migration-lint ${relative}\` in the project.`,
  "",
  markdownTable(
    ["command", "wall ms", "CPU ms", "peak MB", "/ node -e 0", "/ squawk", ""],
    [
      row("`node -e 0` (the floor of any Node client)", floor),
      row("migration-lint, the daemon up", viaDaemon, `the daemon's own time: median ${fmt(median(served.slice(-runs)))} ms`),
      row(`squawk native binary, the new file`, squawkRun),
      row("migration-lint, no daemon (cache file filled)", withoutDaemon),
      row("`migration-lint --version` (Node + bin/, nothing linted)", version),
    ],
    ["l", "r", "r", "r", "r", "r", "l"],
  ),
  "",
].join("\n");
console.log(report);
writeFileSync(path.join(root, "bench/results/daemon.md"), report);
