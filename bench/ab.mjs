#!/usr/bin/env node
/**
 * Two builds of migration-lint side by side on trigger.dev (820 migrations, ../shared/corpus; skipped when absent),
 * for a change's before and after: each round runs `node -e 0`, build A and build B once, alternately, so that the
 * machine's load hits both alike. Reports median wall and CPU time (user + system, GNU time) per command, the median
 * of the per-round ratios B/A (wall, CPU and peak), and the median and largest peak RSS. CPU time is the figure to trust on a busy machine: a process
 * that waits for a core adds wall time, not CPU time.
 *
 *   node bench/ab.mjs <repo A> <repo B> [warm|cold|precommit] [rounds]     (each repo built: npm run build)
 *   NODE_BIN=/path/to/node node bench/ab.mjs ...                            (another Node for the measured runs)
 *   AB_PROJECT=<dir> node bench/ab.mjs <repo A> <repo B> cold|warm ...     (that project where it is, e.g. a
 *                                                                           monorepo's root; nothing written in it)
 *
 * - warm: `-f json --cache` with a cache file per build, filled first; nothing changed since. A build that keeps
 *   the last run (src/cache/last-run.ts) replays it: to compare the lint path of two such builds, pass an
 *   argument that differs between runs, or profile with `--debug` (never replayed).
 * - cold: `-f json --no-cache`.
 * - precommit: a copy of the prisma folder (its files dated two hours back, so that the cache records them), the
 *   cache filled by each build, then a new migration (ADD COLUMN + CREATE INDEX, a new column name each round) linted
 *   by its folder's path, the cache file restored to its filled state before each run.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, triggerDevPrisma } from "./lib.mjs";

const [repoA, repoB, scenario = "warm", roundsArg = "11"] = process.argv.slice(2);
const given = process.env.AB_PROJECT ? path.resolve(process.env.AB_PROJECT) : null;
// a project given is linted where it is: precommit would write a migration into it
if (!repoA || !repoB || !["warm", "cold", "precommit"].includes(scenario) || (given && scenario === "precommit")) {
  console.error("usage: node bench/ab.mjs <repo A> <repo B> [warm|cold|precommit] [rounds]; AB_PROJECT=<dir> with warm or cold only");
  process.exit(2);
}
const rounds = Number(roundsArg);
const node = process.env.NODE_BIN ?? process.execPath;
const env = { ...process.env, MIGRATION_LINT_NO_DAEMON: "1" };
const work = mkdtempSync(path.join(os.tmpdir(), "ml-bench-ab-"));
const project = given ?? path.join(work, "project");
if (!given) cpSync(triggerDevPrisma(), path.join(project, "prisma"), { recursive: true });
const twoHoursAgo = new Date(Date.now() - 2 * 3600e3);
const backdate = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) backdate(p);
    utimesSync(p, twoHoursAgo, twoHoursAgo);
  }
};
if (!given) backdate(path.join(project, "prisma"));

/** One measured process: wall ms, CPU ms, peak RSS in KB. */
function timed(command, args, cwd) {
  const started = process.hrtime.bigint();
  const run = spawnSync("/usr/bin/time", ["-f", "%U %S %M", command, ...args], { cwd, env, maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const [user, sys, rss] = run.stderr.toString().trim().split("\n").pop().split(" ").map(Number);
  return { wall, cpu: (user + sys) * 1000, rss };
}

const builds = { A: repoA, B: repoB };
const cacheOf = (tag) => path.join(work, `cache-${tag}`);
const argsOf = (tag, extra = []) => [path.join(builds[tag], "bin/migration-lint.js"), "-f", "json", ...(scenario === "cold" ? ["--no-cache"] : ["--cache", "--cache-location", cacheOf(tag)]), ...extra];
const newMigration = path.join(project, "prisma/migrations/99999999999999_bench_new");
for (const tag of ["A", "B"]) {
  spawnSync(node, argsOf(tag), { cwd: project, env, maxBuffer: 1 << 30 });
  if (scenario === "precommit") copyFileSync(cacheOf(tag), `${cacheOf(tag)}.filled`);
}
if (scenario === "precommit") mkdirSync(newMigration);

const samples = { "node -e 0": [], A: [], B: [] };
for (let round = 0; round < rounds; round++) {
  if (scenario === "precommit") {
    const column = `bench${round}`;
    writeFileSync(path.join(newMigration, "migration.sql"), `-- AlterTable\nALTER TABLE "TaskRun" ADD COLUMN "${column}" TEXT;\n\n-- CreateIndex\nCREATE INDEX "TaskRun_${column}_idx" ON "TaskRun"("${column}");\n`);
  }
  samples["node -e 0"].push(timed(node, ["-e", "0"], project));
  for (const tag of ["A", "B"]) {
    if (scenario === "precommit") copyFileSync(`${cacheOf(tag)}.filled`, cacheOf(tag));
    samples[tag].push(timed(node, argsOf(tag, scenario === "precommit" ? [newMigration] : []), project));
  }
}
rmSync(work, { recursive: true, force: true });

console.log(`${scenario}, ${given ?? "trigger.dev"}, ${rounds} rounds, Node ${spawnSync(node, ["--version"]).stdout.toString().trim()}, load ${os.loadavg()[0].toFixed(1)} at the end`);
for (const [name, list] of Object.entries(samples)) {
  const peaks = list.map((s) => s.rss / 1024);
  console.log(`${name.padEnd(10)} wall ${median(list.map((s) => s.wall)).toFixed(0).padStart(5)} ms   CPU ${median(list.map((s) => s.cpu)).toFixed(0).padStart(5)} ms   peak ${median(peaks).toFixed(0).padStart(4)} MiB (max ${Math.max(...peaks).toFixed(0)})`);
}
const ratio = (key) => median(samples.A.map((a, i) => samples.B[i][key] / a[key])).toFixed(3);
console.log(`B/A median ratio: wall ${ratio("wall")}, CPU ${ratio("cpu")}, peak ${ratio("rss")}`);
