#!/usr/bin/env node
/**
 * Benchmark on the real corpus (../shared/corpus) and on a synthetic history,
 * side by side with squawk 2.66 (installed into bench/.tools on first use) in
 * the same run. Every measured run is a new process; time is the median of N
 * runs after one warm-up run (OS file cache), memory is the largest peak RSS
 * (GNU time's %M) of those runs. The commands compared with each other run
 * interleaved (one round runs each once), so a change in machine load hits
 * both tools and all sizes alike. The CLI runs from a private copy of the
 * build (see snapshotBuild in lib.mjs). Tables are markdown.
 *
 * Per corpus project (each folder with a migration_lock.toml):
 *
 * - cold: the whole history, no cache (`migration-lint --cwd <project> -f json --no-cache`);
 *   squawk on the same migration.sql files.
 * - warm: `--cache --cache-location <tmp file>`, filled by one run first, then
 *   measured: every migration's findings come from the cache and nothing is
 *   parsed. squawk has no cache, so its column is its cold run. The same command
 *   run again with nothing changed is replayed (src/cache/last-run.ts: the last
 *   run's report, kept at the end of the cache file, printed after a stat of
 *   every path it looked at); "warm, not replayed" restores the cache file
 *   without that run before each of its runs, so it measures a warm run that
 *   lints (what a run of another command, or after a touch, does).
 * - pre-commit: the project's prisma folder is copied to a temp dir and linted
 *   once with --cache (the history cached), then a new migration
 *   `99999999999999_bench_new/migration.sql` (a Prisma ALTER TABLE ADD COLUMN +
 *   CREATE INDEX on the table the history alters most) is added and linted
 *   with --cache and its folder as the positional path, as lint-staged /
 *   pre-commit run it. Before every measured run the cache file is restored to
 *   its filled state (history only) and the new migration is rewritten with a
 *   run-specific column name, so each run does the real pre-commit work:
 *   cached history, uncached new file. squawk lints just the new file.
 *   Also shown: the same pre-commit call with --no-cache (what it costs when
 *   the cache is off or empty).
 *   The "linted / parsed / read" column comes from the API (ProjectReport's
 *   lintedCount, parsedCount, readCount, migrationCount) on one extra run of
 *   each scenario, so the table shows that the cache did what it should
 *   (read: migration.sql files read and hashed; the cache vouched for the
 *   others by their size, times and inode).
 *
 * Then a synthetic Prisma history (bench/synthetic.mjs, generated in
 * os.tmpdir(): CREATE TABLE, ADD COLUMN, CREATE INDEX, ADD FOREIGN KEY, enum
 * ADD VALUE, occasional DROP COLUMN, ...; every migration applies on Postgres)
 * linted cold at 500, 1,000, 2,000 and 5,000 migrations: time, time per
 * migration, the marginal time per migration between sizes (startup removed),
 * and peak memory (target at 5,000: < 200 MB).
 *
 *   npm run bench                         # builds first; N=5
 *   BENCH_RUNS=10 npm run bench
 *   BENCH_SYNTH_SIZES=500,5000 npm run bench
 *   BENCH_SKIP_CORPUS=1 / BENCH_SKIP_SYNTH=1 npm run bench
 *   BENCH_KEEP=1 npm run bench            # keep the temp dirs (printed)
 *   CORPUS=/path/to/corpus npm run bench
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { benchAll, corpus, corpusProjects, ensureSquawk, fmt, hasGnuTime, machineLine, markdownTable, measure, medianRatio, migrationFiles, root, snapshotBuild, SQUAWK_VERSION } from "./lib.mjs";
import { writeSyntheticProjects } from "./synthetic.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const synthSizes = (process.env.BENCH_SYNTH_SIZES ?? "500,1000,2000,5000").split(",").map(Number).filter((n) => n > 0);
const keep = process.env.BENCH_KEEP === "1";
const node = process.execPath;
const squawkTool = ensureSquawk();
const squawk = squawkTool.path;
/** `node -e 0`: the floor of any Node CLI on this machine, measured in the same rounds. */
const nodeFloor = { command: node, args: ["-e", "0"] };
const tmp = mkdtempSync(path.join(os.tmpdir(), "migration-lint-bench-"));
const { cli, dist } = snapshotBuild(tmp);
const { runLint } = await import(pathToFileURL(path.join(dist, "src", "api", "lint.js")).href);
// squawk runs from the temp dir so that no .squawk.toml changes its defaults
const squawkOptions = { cwd: tmp };

console.log(`# migration-lint benchmark\n`);
console.log(`${machineLine()}; migration-lint ${JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version}, squawk ${SQUAWK_VERSION} ${squawkTool.native ? "native binary" : "npm wrapper (WARNING: its own Node start-up is in every squawk time)"} (${path.relative(root, squawk)}); median of ${runs} runs (one warm-up run each), one process per run, the commands of a table run interleaved round by round; a ratio is the median of the per-round ratios${hasGnuTime ? "; peak MB = GNU time max RSS" : "; no /usr/bin/time: no memory figures"}`);

const ratio = (ours, theirs) => {
  const r = medianRatio(ours, theirs);
  return r === null ? "n/a" : `${fmt(r, 2)}x`;
};
const mlFindings = (stdout) => {
  try {
    return JSON.parse(stdout).reduce((n, r) => n + r.messages.length, 0);
  } catch {
    return null;
  }
};
const squawkFindings = (stdout) => stdout.split("\n").filter((l) => /: (warning|error)\b/.test(l)).length;
function checkRun(label, result) {
  if (result.status !== 0 && result.status !== 1) {
    console.error(`${label} failed (exit ${result.status}): ${result.stderr || result.error}`);
    process.exitCode = 1;
    return false;
  }
  return true;
}
/** One in-process API run: what was linted and parsed. */
async function report(options) {
  const run = await runLint({ baseline: false, ...options });
  const p = run.projects[0];
  return { migrationCount: p.migrationCount, lintedCount: p.lintedCount, parsedCount: p.parsedCount, readCount: p.readCount, findings: run.results.reduce((n, r) => n + r.messages.length, 0) };
}
/** Where the last run kept at the end of a cache file starts (its trailer says: src/cache/last-run.ts); the file's size when none is. */
function lastRunStart(file) {
  const bytes = readFileSync(file);
  const trailer = /\n#migration-lint last run [0-9a-f]+ at (\d{15})\n$/.exec(bytes.toString("latin1", Math.max(0, bytes.length - 96)));
  return trailer ? Number(trailer[1]) : bytes.length;
}
const scope = (r) => (r ? `${r.lintedCount} of ${r.migrationCount} / ${r.parsedCount} / ${r.readCount ?? "?"}` : "n/a");

/** The table the history creates, does not drop, and alters most: where a realistic next migration goes. */
function busiestTable(files) {
  const created = new Set();
  const altered = new Map();
  const name = String.raw`(?:"?\w+"?\.)?"?(\w+)"?`;
  for (const file of files) {
    const sql = readFileSync(file, "utf8");
    for (const m of sql.matchAll(new RegExp(String.raw`CREATE TABLE (?:IF NOT EXISTS )?${name}`, "gi"))) created.add(m[1]);
    for (const m of sql.matchAll(new RegExp(String.raw`DROP TABLE (?:IF EXISTS )?${name}`, "gi"))) created.delete(m[1]);
    for (const m of sql.matchAll(new RegExp(String.raw`ALTER TABLE (?:ONLY )?${name} RENAME TO "?(\w+)"?`, "gi"))) if (created.delete(m[1])) created.add(m[2]);
    for (const m of sql.matchAll(new RegExp(String.raw`ALTER TABLE (?:ONLY )?${name}`, "gi"))) altered.set(m[1], (altered.get(m[1]) ?? 0) + 1);
  }
  return [...created].sort((a, b) => (altered.get(b) ?? 0) - (altered.get(a) ?? 0))[0] ?? "User";
}

/** What `prisma migrate dev` writes for two new optional/defaulted fields and an @@index. */
function newMigrationSql(table, tag) {
  const note = `benchNote${tag}`;
  return `-- AlterTable
ALTER TABLE "${table}" ADD COLUMN     "${note}" TEXT,
ADD COLUMN     "benchCount${tag}" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "${table}_${note}_idx" ON "${table}"("${note}");
`;
}

async function benchProject(project, index) {
  const { label, projectDir, migrationsDir, files, schema } = project;
  const notes = [];

  // warm: a cache file filled by one run
  const warmCache = path.join(tmp, `warm-${index}.cache`);
  // the schema and migrations folder named, as in a project with several (evolution-api), so each run lints this one history
  const own = ["--schema", schema, "--migrations", migrationsDir];
  const warmArgs = [cli, "--cwd", projectDir, ...own, "--cache", "--cache-location", warmCache, "-f", "json"];
  if (!checkRun(`migration-lint on ${label}`, measure(node, warmArgs))) return null;
  // warm, not replayed: the same cache without the last run kept at its end, restored before each run
  const lintCache = path.join(tmp, `warm-lint-${index}.cache`);
  const lintPristine = `${lintCache}.pristine`;
  cpSync(warmCache, lintPristine);
  truncateSync(lintPristine, lastRunStart(lintPristine));
  const lintArgs = [cli, "--cwd", projectDir, ...own, "--cache", "--cache-location", lintCache, "-f", "json"];

  // pre-commit: a copy of the project, its history cached, one new migration
  const copy = path.join(tmp, `precommit-${index}`);
  // with their timestamps, as a checkout's committed migrations are old: the cache vouches for them by their metadata
  // (a file modified less than 3 s before a run is read and hashed on every run: src/model/load.ts RACY_MS)
  cpSync(path.dirname(migrationsDir), path.join(copy, "prisma"), { recursive: true, preserveTimestamps: true });
  writeFileSync(path.join(copy, "package.json"), `${JSON.stringify({ name: `bench-precommit-${index}`, private: true }, null, 2)}\n`);
  // the copy keeps the project's own file names (evolution-api: postgresql-schema.prisma beside postgresql-migrations), named explicitly
  const copySchema = path.join(copy, "prisma", path.relative(path.dirname(migrationsDir), schema));
  const copyMigrations = path.join(copy, "prisma", path.basename(migrationsDir));
  const layout = ["--schema", copySchema, "--migrations", copyMigrations];
  const cache = path.join(copy, ".migration-lint-cache");
  const pristine = path.join(tmp, `precommit-${index}.cache`);
  checkRun(`filling the cache of the copy of ${label}`, measure(node, [cli, "--cwd", copy, ...layout, "--cache", "--cache-location", cache, "-f", "json"]));
  cpSync(cache, pristine);
  const table = busiestTable(files);
  const newDir = path.join(copyMigrations, "99999999999999_bench_new");
  const newFile = path.join(newDir, "migration.sql");
  const prepare = (i) => {
    cpSync(pristine, cache); // the history cached, the new migration not
    mkdirSync(newDir, { recursive: true });
    writeFileSync(newFile, newMigrationSql(table, i < 0 ? "Warmup" : String(i + 1)));
  };

  const [floor, cold, sqCold, warm, warmLint, pre, sqPre, preCold] = benchAll(
    [
      nodeFloor,
      { command: node, args: [cli, "--cwd", projectDir, ...own, "-f", "json", "--no-cache"] },
      { command: squawk, args: ["--reporter", "gcc", ...files], ...squawkOptions },
      { command: node, args: warmArgs },
      { command: node, args: lintArgs, prepare: () => cpSync(lintPristine, lintCache) },
      { command: node, args: [cli, "--cwd", copy, ...layout, "--cache", "--cache-location", cache, "-f", "json", newDir], prepare },
      { command: squawk, args: ["--reporter", "gcc", newFile], prepare, ...squawkOptions },
      { command: node, args: [cli, "--cwd", copy, ...layout, "-f", "json", "--no-cache", newDir], prepare },
    ],
    runs,
  );
  for (const r of [cold, warm, warmLint, pre, preCold]) if (!checkRun(`migration-lint on ${label}`, r.last)) return null;

  // what each scenario linted and parsed, from the API (one more run each)
  const coldScope = await report({ cwd: projectDir, schema, migrations: migrationsDir });
  const warmScope = await report({ cwd: projectDir, schema, migrations: migrationsDir, cache: true, cacheLocation: warmCache });
  prepare(runs);
  const preScope = await report({ cwd: copy, schema: copySchema, migrations: copyMigrations, cache: true, cacheLocation: cache, paths: [newDir] });
  const preColdScope = await report({ cwd: copy, schema: copySchema, migrations: copyMigrations, paths: [newDir] });

  const findings = (ours, theirs) => `${mlFindings(ours.last.stdout)} / ${squawkFindings(theirs.last.stdout)}`;
  const rows = [
    ["cold: full history, no cache", scope(coldScope), fmt(cold.ms), fmt(cold.rssMb), fmt(sqCold.ms), fmt(sqCold.rssMb), ratio(cold, sqCold), ratio(cold, floor), findings(cold, sqCold)],
    ["warm: full history, cache filled (the last run replayed)", scope(warmScope), fmt(warm.ms), fmt(warm.rssMb), `${fmt(sqCold.ms)} (no cache)`, fmt(sqCold.rssMb), ratio(warm, sqCold), ratio(warm, floor), findings(warm, sqCold)],
    ["warm, not replayed (the cache without the last run)", scope(warmScope), fmt(warmLint.ms), fmt(warmLint.rssMb), `${fmt(sqCold.ms)} (no cache)`, fmt(sqCold.rssMb), ratio(warmLint, sqCold), ratio(warmLint, floor), findings(warmLint, sqCold)],
    ["pre-commit: 1 new migration, history cached", scope(preScope), fmt(pre.ms), fmt(pre.rssMb), fmt(sqPre.ms), fmt(sqPre.rssMb), ratio(pre, sqPre), ratio(pre, floor), findings(pre, sqPre)],
    ["pre-commit with --no-cache", scope(preColdScope), fmt(preCold.ms), fmt(preCold.rssMb), fmt(sqPre.ms), fmt(sqPre.rssMb), ratio(preCold, sqPre), ratio(preCold, floor), findings(preCold, sqPre)],
    ["`node -e 0` (floor of any Node CLI)", "", fmt(floor.ms), fmt(floor.rssMb), "", "", "", "1.00x", ""],
  ];
  notes.push(`cache file ${fmt(statSync(warmCache).size / 1024 / 1024, 1)} MB`);
  notes.push(`new migration: ALTER TABLE "${table}" ADD COLUMN x2 + CREATE INDEX`);
  if (warm.last.stdout !== cold.last.stdout || warmLint.last.stdout !== cold.last.stdout) notes.push("WARNING: a warm run's report differs from the cold run's");
  if (mlFindings(pre.last.stdout) !== mlFindings(preCold.last.stdout)) notes.push("WARNING: the cached and uncached pre-commit runs report different findings");
  if (preScope.parsedCount !== 1) notes.push(`WARNING: the cached pre-commit run parsed ${preScope.parsedCount} migrations, not 1`);
  if (warmScope.parsedCount !== 0) notes.push(`WARNING: the warm run parsed ${warmScope.parsedCount} migrations, not 0`);

  const sqlBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`\n## ${label}: ${files.length} migrations, ${fmt(sqlBytes / 1024)} KB of SQL\n`);
  console.log(
    markdownTable(
      ["scenario", "linted of total / parsed / read", "migration-lint ms", "peak MB", "squawk ms", "squawk MB", "ratio ml/squawk", "ratio ml/node -e 0", "findings ml / squawk"],
      rows,
      ["l", "r", "r", "r", "r", "r", "r", "r", "r"],
    ),
  );
  console.log(`\n${notes.join("; ")}.`);
  return { label, migrations: files.length, floor: floor.ms, cold: cold.ms, warm: warm.ms, warmLint: warmLint.ms, pre: pre.ms, squawk: sqCold.ms, squawkPre: sqPre.ms, rss: cold.rssMb, coldRatio: ratio(cold, sqCold), warmRatio: ratio(warm, sqCold), warmLintRatio: ratio(warmLint, sqCold), preRatio: ratio(pre, sqPre), preFloor: ratio(pre, floor) };
}

/** Least-squares line through (size, value): intercept, slope, and the largest relative deviation of a point from it. */
function linearFit(points, key) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.size, 0) / n;
  const my = points.reduce((s, p) => s + p[key], 0) / n;
  const slope = points.reduce((s, p) => s + (p.size - mx) * (p[key] - my), 0) / points.reduce((s, p) => s + (p.size - mx) ** 2, 0);
  const intercept = my - slope * mx;
  const worst = Math.max(...points.map((p) => Math.abs(p[key] - (intercept + slope * p.size)) / p[key]));
  return { intercept, slope, worst };
}

async function benchSynthetic() {
  const dir = path.join(tmp, "synthetic");
  const started = Date.now();
  const projects = writeSyntheticProjects(dir, synthSizes);
  const generatedIn = (Date.now() - started) / 1000;
  // all sizes interleaved, so that a change in machine load does not bend the curve
  const jobs = [nodeFloor, ...projects.flatMap((p) => [
    // cold: the cache is on by default on the command line, and the warm-up run would fill it
    { command: node, args: [cli, "--cwd", p.projectDir, "-f", "json", "--no-cache"] },
    { command: squawk, args: ["--reporter", "gcc", ...migrationFiles(p.migrationsDir)], ...squawkOptions },
  ])];
  const [floor, ...measured] = benchAll(jobs, runs);
  const rows = [];
  const points = [];
  for (const [i, p] of projects.entries()) {
    const ours = measured[2 * i];
    const theirs = measured[2 * i + 1];
    if (!checkRun(`migration-lint on the synthetic history of ${p.size}`, ours.last)) continue;
    const prev = points.at(-1);
    const marginal = prev ? (ours.ms - prev.ms) / (p.size - prev.size) : null;
    points.push({ size: p.size, ms: ours.ms, cpuMs: ours.cpuMs, rssMb: ours.rssMb });
    rows.push([
      String(p.size),
      fmt(p.bytes / 1024),
      fmt(ours.ms),
      fmt(ours.ms / p.size, 2),
      marginal === null ? "" : fmt(marginal, 2),
      fmt(ours.cpuMs),
      fmt(ours.cpuMs / p.size, 2),
      fmt(ours.rssMb),
      String(mlFindings(ours.last.stdout)),
      fmt(theirs.ms),
      fmt(theirs.ms / p.size, 2),
      fmt(theirs.rssMb),
      ratio(ours, theirs),
    ]);
  }
  console.log(`\n## Synthetic Prisma history, cold full-history lint (generated in ${fmt(generatedIn, 1)} s under ${os.tmpdir()}; \`node -e 0\` in the same rounds: ${fmt(floor.ms)} ms)\n`);
  console.log(
    markdownTable(
      ["migrations", "SQL KB", "migration-lint ms", "ms / migration", "marginal ms / migration", "CPU ms (user+sys)", "CPU ms / migration", "peak MB", "findings", "squawk ms", "squawk ms / migration", "squawk MB", "time ratio (ml/squawk)"],
      rows,
      Array(13).fill("r"),
    ),
  );
  if (points.length >= 3) {
    const wall = linearFit(points, "ms");
    console.log(`\nLinear fit (wall): ${fmt(wall.intercept)} ms + ${fmt(wall.slope, 3)} ms × migrations; largest deviation of a size from the line: ${fmt(wall.worst * 100, 1)}%.`);
    if (points.every((p) => p.cpuMs !== null)) {
      const cpu = linearFit(points, "cpuMs");
      console.log(`Linear fit (CPU): ${fmt(cpu.intercept)} ms + ${fmt(cpu.slope, 3)} ms × migrations; largest deviation of a size from the line: ${fmt(cpu.worst * 100, 1)}%.`);
    }
    const mem = linearFit(points.filter((p) => p.rssMb !== null), "rssMb");
    if (Number.isFinite(mem.slope)) console.log(`Linear fit (peak memory): ${fmt(mem.intercept)} MB + ${fmt(mem.slope * 1000, 1)} MB per 1,000 migrations.`);
  }
  const last = points.find((p) => p.size === 5000) ?? points.at(-1);
  if (last?.rssMb != null) console.log(`Peak memory at ${last.size} migrations: ${fmt(last.rssMb)} MB (target < 200 MB): ${last.rssMb < 200 ? "met" : "NOT met"}.`);
}

try {
  if (process.env.BENCH_SKIP_CORPUS !== "1") {
    if (!existsSync(corpus)) console.log(`\nNo corpus at ${corpus}: skipping the corpus tables.`);
    else {
      const summary = [];
      const projects = corpusProjects();
      for (const [i, project] of projects.entries()) {
        const r = await benchProject(project, i);
        if (r) summary.push(r);
      }
      console.log(`\n## Summary (median ms)\n`);
      console.log(
        markdownTable(
          ["project", "migrations", "node -e 0", "cold", "warm (replayed)", "warm, not replayed", "pre-commit", "squawk full", "squawk 1 file", "cold ratio", "warm ratio", "warm not replayed ratio", "pre-commit ratio", "pre-commit / node -e 0"],
          summary.map((r) => [r.label, String(r.migrations), fmt(r.floor), fmt(r.cold), fmt(r.warm), fmt(r.warmLint), fmt(r.pre), fmt(r.squawk), fmt(r.squawkPre), r.coldRatio, r.warmRatio, r.warmLintRatio, r.preRatio, r.preFloor]),
          Array(12).fill("r").fill("l", 0, 1),
        ),
      );
    }
  }
  if (process.env.BENCH_SKIP_SYNTH !== "1" && synthSizes.length) await benchSynthetic();
  console.log(`\nLoad average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}.`);
} finally {
  if (keep) console.log(`\nKept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
