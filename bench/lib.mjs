/**
 * Helpers shared by the benchmarks in bench/: where things are, squawk-cli
 * (installed into bench/.tools on first use), the corpus's migrations
 * folders, a process runner that records wall time and peak RSS, and
 * markdown tables.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const corpus = path.resolve(process.env.CORPUS ?? path.join(root, "..", "shared", "corpus"));
export const cli = path.join(root, "bin", "migration-lint.js");
export const SQUAWK_VERSION = "2.66.0";

/** trigger.dev's prisma folder (820 migrations), the resident benchmarks' history; exits with a note when the corpus is absent. */
export function triggerDevPrisma() {
  const source = path.join(corpus, "triggerdotdev__trigger.dev/internal-packages/database/prisma");
  if (!existsSync(source)) {
    console.log(`skipped: ${source} is not there (the corpus lives in ../shared/corpus)`);
    process.exit(0);
  }
  return source;
}
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
export const hasGnuTime = gnuTime !== null;

/**
 * squawk-cli is installed into bench/.tools on first use rather than being a
 * devDependency: its package lists optional binaries for every platform, and
 * `npm ci` rejects the lockfile on a registry mirror that lacks the ones for
 * other platforms.
 *
 * Returns squawk's native binary (`@squawk-cli/<platform>-<arch>/bin/squawk`),
 * not the package's `bin` entry: that one is a Node script that starts Node
 * and then spawns the binary, so timing it adds a Node start-up to every
 * squawk run (measured: 61 ms instead of 3 ms on one file). Only where the
 * platform package is missing does it fall back to the wrapper, with a
 * printed warning; `squawk.native` says which one it is.
 */
export function ensureSquawk() {
  const tools = path.join(root, "bench", ".tools");
  const wrapper = path.join(tools, "node_modules", ".bin", "squawk");
  const platform = `${process.platform}-${process.arch}`;
  const native = path.join(tools, "node_modules", "@squawk-cli", platform, "bin", process.platform === "win32" ? "squawk.exe" : "squawk");
  const versionOf = (bin) => (existsSync(bin) ? spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "" : "");
  if (versionOf(wrapper) !== `squawk ${SQUAWK_VERSION}`) {
    console.error(`Installing squawk-cli@${SQUAWK_VERSION} into bench/.tools for the side-by-side run...`);
    const install = spawnSync("npm", ["install", "--prefix", tools, "--no-save", "--no-audit", "--no-fund", `squawk-cli@${SQUAWK_VERSION}`], { stdio: ["ignore", "ignore", "inherit"] });
    if (install.status !== 0 || !existsSync(wrapper)) {
      console.error("Could not install squawk-cli; the comparison columns need it.");
      process.exit(1);
    }
  }
  if (versionOf(native) === `squawk ${SQUAWK_VERSION}`) return { path: native, native: true };
  console.error(`WARNING: squawk's native binary for ${platform} is not in bench/.tools (@squawk-cli/${platform}); timing its npm wrapper instead, which adds a Node start-up to every squawk run, so every ratio below is flattered.`);
  return { path: wrapper, native: false };
}

/**
 * A copy of trigger.dev's prisma folder (`source`, from triggerDevPrisma) as a project under `tmp/project` (with a package.json), and a new migration
 * `99999999999999_bench_new` that `prepare(i)` (re)writes before run i: ADD COLUMN + CREATE INDEX on "TaskRun", a
 * column of its own each run, as a pre-commit hook would see it.
 */
export function triggerDevProject(tmp, source, name) {
  const project = path.join(tmp, "project");
  cpSync(source, path.join(project, "prisma"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
  const newDir = path.join(project, "prisma/migrations/99999999999999_bench_new");
  const newFile = path.join(newDir, "migration.sql");
  const prepare = (i) => {
    mkdirSync(newDir, { recursive: true });
    writeFileSync(newFile, `-- AlterTable\nALTER TABLE "TaskRun" ADD COLUMN     "benchNote${i + 2}" TEXT;\n\n-- CreateIndex\nCREATE INDEX "TaskRun_benchNote${i + 2}_idx" ON "TaskRun"("benchNote${i + 2}");\n`);
  };
  return { project, newDir, newFile, prepare };
}

/**
 * A private copy of the built CLI (bin/, dist/, package.json, and a symlink to
 * node_modules) under `dir`, taken right after `npm run build`, so that a
 * rebuild by someone else (tests run `tsc` into the same dist/) cannot swap
 * files under a benchmark that runs for minutes. A copy taken while dist/ was
 * being written (a file newer than the start of the copy, or a smoke run that
 * fails) is taken again. BENCH_USE_DIST=1 uses the repository's dist/ directly.
 */
export function snapshotBuild(dir) {
  if (process.env.BENCH_USE_DIST === "1") return { cli, dist: path.join(root, "dist") };
  const newest = (d) => {
    let max = 0;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      max = Math.max(max, e.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }
    return max;
  };
  let lastError = "";
  for (let attempt = 1; attempt <= 10; attempt++) {
    const target = path.join(dir, `build-${attempt}`);
    const started = Date.now();
    mkdirSync(target, { recursive: true });
    cpSync(path.join(root, "dist"), path.join(target, "dist"), { recursive: true });
    cpSync(path.join(root, "bin"), path.join(target, "bin"), { recursive: true });
    cpSync(path.join(root, "package.json"), path.join(target, "package.json"));
    symlinkSync(path.join(root, "node_modules"), path.join(target, "node_modules"), "dir");
    const snapshot = { cli: path.join(target, "bin", "migration-lint.js"), dist: path.join(target, "dist") };
    const smoke = spawnSync(process.execPath, [snapshot.cli, "--cwd", path.join(root, "fixtures", "example"), "-f", "json"], { encoding: "utf8", maxBuffer: 1 << 28 });
    let ok = (smoke.status === 0 || smoke.status === 1) && newest(path.join(root, "dist")) < started - 50;
    try {
      JSON.parse(smoke.stdout);
    } catch {
      ok = false;
    }
    if (ok) return snapshot;
    lastError = smoke.stderr.trim() || "dist/ changed while it was copied";
    spawnSync("sleep", ["5"]);
  }
  console.error(`Could not take a consistent copy of dist/ (is someone rebuilding in a loop?): ${lastError}`);
  process.exit(1);
}

/** Every folder holding a migration_lock.toml is a migrations folder; its parent holds the schema. */
export function findMigrationDirs(dir = corpus, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isDirectory() || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (existsSync(path.join(full, "migration_lock.toml"))) out.push(full);
    else findMigrationDirs(full, out);
  }
  return out;
}

/**
 * The corpus's PostgreSQL projects (it also holds SQLite and MySQL histories, which migration-lint
 * refuses with exit 2): label, project dir (two levels above the migrations folder), schema file
 * (`<prefix>-schema.prisma` beside a `<prefix>-migrations` folder, as in evolution-api), migration.sql files in order.
 */
export function corpusProjects() {
  return findMigrationDirs(corpus)
    .filter((migrationsDir) => /provider\s*=\s*"postgres(?:ql)?"/.test(readFileSync(path.join(migrationsDir, "migration_lock.toml"), "utf8")))
    .map((migrationsDir) => {
      const prefix = /^(.*)-migrations$/.exec(path.basename(migrationsDir))?.[1];
      return {
        label: path.relative(corpus, migrationsDir).replace(/\/prisma\/migrations$|\/migrations$/, ""),
        migrationsDir,
        projectDir: path.dirname(path.dirname(migrationsDir)),
        schema: path.join(path.dirname(migrationsDir), prefix ? `${prefix}-schema.prisma` : "schema.prisma"),
        files: migrationFiles(migrationsDir),
      };
    });
}

/** The migration.sql files of a migrations folder, in folder-name (byte) order as Prisma applies them. */
export function migrationFiles(migrationsDir) {
  return readdirSync(migrationsDir)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name) => path.join(migrationsDir, name, "migration.sql"))
    .filter((file) => existsSync(file) && statSync(file).isFile());
}

/** Runs a command once; returns wall milliseconds, peak RSS in MB (or null), the exit code and the output. */
export function measure(command, args, options = {}) {
  const spawnOptions = { encoding: "utf8", maxBuffer: 1 << 30, ...options };
  const start = process.hrtime.bigint();
  const result = gnuTime ? spawnSync(gnuTime, ["-f", "%M %U %S", command, ...args], spawnOptions) : spawnSync(command, args, spawnOptions);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let stderr = result.stderr ?? "";
  let rssMb = null;
  let cpuMs = null;
  if (gnuTime) {
    const lines = stderr.trimEnd().split("\n");
    const [rssKb, user, sys] = (lines.at(-1) ?? "").split(" ").map(Number);
    if (Number.isFinite(rssKb)) {
      rssMb = rssKb / 1024;
      cpuMs = (user + sys) * 1000;
      stderr = lines.slice(0, -1).join("\n");
    }
  }
  return { ms, rssMb, cpuMs, status: result.status, stdout: result.stdout ?? "", stderr, error: result.error };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Benchmarks several commands together, interleaved: one warm-up run of each
 * (OS file cache), then `runs` rounds that run each command once, so a change
 * in machine load hits all of them alike (the ratios stay fair on a busy
 * machine). Every run is a new process. A job is { command, args, prepare?,
 * ...spawn options }; `prepare(i)` runs before each of its runs (i = -1 for
 * the warm-up), outside the timing. Returns, per job: median wall ms, median
 * CPU ms (user + sys), the largest peak RSS, the samples and the last run.
 */
export function benchAll(jobs, runs) {
  const samples = jobs.map(() => []);
  for (let i = -1; i < runs; i++) {
    for (const [j, { command, args, prepare, ...options }] of jobs.entries()) {
      prepare?.(i);
      const sample = measure(command, args, options);
      if (i >= 0) samples[j].push(sample);
    }
  }
  return samples.map((list) => {
    const rss = list.map((s) => s.rssMb).filter((v) => v !== null);
    const cpu = list.map((s) => s.cpuMs).filter((v) => v !== null);
    return { ms: median(list.map((s) => s.ms)), cpuMs: cpu.length ? median(cpu) : null, rssMb: rss.length ? Math.max(...rss) : null, samples: list, last: list.at(-1) };
  });
}

/**
 * The median of the per-round ratios a/b of two jobs measured by the same
 * benchAll (round i of one against round i of the other, run back to back),
 * so a load change during the run cancels out of each ratio.
 */
export function medianRatio(a, b) {
  const ratios = a.samples.map((s, i) => s.ms / b.samples[i].ms).filter(Number.isFinite);
  return ratios.length ? median(ratios) : null;
}

export const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? "n/a" : n.toFixed(digits));

/** A markdown table with padded columns; `align` per column: "l" or "r". */
export function markdownTable(header, rows, align = []) {
  const cells = rows.map((row) => row.map((c) => String(c)));
  const widths = header.map((h, i) => Math.max(h.length, 3, ...cells.map((row) => row[i].length)));
  const pad = (c, i) => (align[i] === "r" ? c.padStart(widths[i]) : c.padEnd(widths[i]));
  const line = (row) => `| ${row.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (align[i] === "r" ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...cells.map(line)].join("\n");
}

export function machineLine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(", ");
  return `node ${process.version}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${os.platform()} ${os.release()}, load average ${load}`;
}
