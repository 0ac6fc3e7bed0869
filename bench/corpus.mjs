#!/usr/bin/env node
/**
 * Cold-start benchmark on the real corpus (../shared/corpus): for each Prisma
 * project, lint the full history with the built CLI, and run squawk 2.x on the
 * same migration.sql files, side by side, in the same run. Prints wall time
 * (median of N runs), peak memory (GNU time's max RSS) and the ratio.
 *
 *   npm run bench            # N=5
 *   BENCH_RUNS=10 npm run bench
 *   CORPUS=/path/to/corpus npm run bench
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = path.resolve(process.env.CORPUS ?? path.join(root, "..", "shared", "corpus"));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const cli = path.join(root, "bin", "migration-lint.js");
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/**
 * squawk-cli is installed into bench/.tools on first use rather than being a
 * devDependency: its package lists optional binaries for every platform, and
 * `npm ci` rejects the lockfile on a registry mirror that lacks the ones for
 * other platforms.
 */
function ensureSquawk() {
  const tools = path.join(root, "bench", ".tools");
  const bin = path.join(tools, "node_modules", ".bin", "squawk");
  if (!existsSync(bin)) {
    console.error("Installing squawk-cli@2.66.0 into bench/.tools for the side-by-side run...");
    const install = spawnSync("npm", ["install", "--prefix", tools, "--no-save", "--no-audit", "--no-fund", "squawk-cli@2.66.0"], { stdio: ["ignore", "ignore", "inherit"] });
    if (install.status !== 0 || !existsSync(bin)) {
      console.error("Could not install squawk-cli; the comparison columns need it.");
      process.exit(1);
    }
  }
  return bin;
}

if (!existsSync(corpus)) {
  console.log(`No corpus at ${corpus}: nothing to benchmark.`);
  process.exit(0);
}
const squawk = ensureSquawk();

/** Every folder holding a migration_lock.toml is a migrations folder; its parent holds the schema. */
function findMigrationDirs(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (existsSync(path.join(full, "migration_lock.toml"))) out.push(full);
    else findMigrationDirs(full, out);
  }
  return out;
}

/** Runs a command once; returns wall milliseconds, peak RSS in MB (or null) and the exit code. */
function measure(command, args) {
  const start = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync(gnuTime, ["-f", "%M", command, ...args], { encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKb = gnuTime ? Number(result.stderr.trim().split("\n").at(-1)) : NaN;
  return { ms, rssMb: Number.isFinite(rssKb) ? rssKb / 1024 : null, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bench(command, args) {
  measure(command, args); // warm the OS file cache; the process itself still starts cold every run
  const samples = Array.from({ length: runs }, () => measure(command, args));
  return { ms: median(samples.map((s) => s.ms)), rssMb: samples[0].rssMb === null ? null : Math.max(...samples.map((s) => s.rssMb)), last: samples.at(-1) };
}

const rows = [];
for (const migrationsDir of findMigrationDirs(corpus)) {
  const projectDir = path.dirname(path.dirname(migrationsDir));
  const files = readdirSync(migrationsDir)
    .map((name) => path.join(migrationsDir, name, "migration.sql"))
    .filter((file) => existsSync(file) && statSync(file).isFile());
  const ours = bench(process.execPath, [cli, "--cwd", projectDir, "-f", "json"]);
  if (ours.last.status !== 0 && ours.last.status !== 1) {
    console.error(`migration-lint failed on ${migrationsDir} (exit ${ours.last.status}):\n${ours.last.stderr}`);
    process.exitCode = 1;
    continue;
  }
  const results = JSON.parse(ours.last.stdout);
  const findings = results.reduce((n, r) => n + r.messages.length, 0);
  const parseErrors = results.reduce((n, r) => n + r.messages.filter((m) => m.ruleId === "parse-error").length, 0);
  const theirs = bench(squawk, ["--reporter", "gcc", ...files]);
  const squawkFindings = theirs.last.stdout.split("\n").filter((l) => /: (warning|error)/.test(l)).length;
  rows.push({
    project: path.relative(corpus, migrationsDir).replace(/\/prisma\/migrations$|\/migrations$/, ""),
    migrations: files.length,
    ms: ours.ms,
    rssMb: ours.rssMb,
    findings,
    parseErrors,
    squawkMs: theirs.ms,
    squawkRssMb: theirs.rssMb,
    squawkFindings,
  });
}

const fmt = (n, digits = 0) => (n === null || n === undefined ? "n/a" : n.toFixed(digits));
const header = ["project", "migrations", "migration-lint ms", "peak MB", "findings", "parse-errors", "squawk ms", "squawk MB", "squawk findings", "time ratio"];
const table = rows.map((r) => [r.project, String(r.migrations), fmt(r.ms), fmt(r.rssMb), String(r.findings), String(r.parseErrors), fmt(r.squawkMs), fmt(r.squawkRssMb), String(r.squawkFindings), `${fmt(r.ms / r.squawkMs, 2)}x`]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(`Cold full-history lint (one process per run), median of ${runs} runs; node ${process.version}, ${(await import("node:os")).cpus().length} cores`);
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table) console.log(line(row));
