#!/usr/bin/env node
/**
 * How much of a run is the parser itself: the floor under any Node linter built on libpg-query, beside our runs and
 * squawk's native binary, on trigger.dev's history (820 migrations, ../shared/corpus; skipped when absent),
 * interleaved round by round (bench/lib.mjs benchAll), medians.
 *
 * - `node -e 0`: Node's start-up, the floor of any Node CLI;
 * - parser, whole history: Node, libpg-query loaded as bin/ loads it (`--liftoff-only`), every migration.sql read
 *   and parsed with `parseSync` (its JSON parse tree made into objects), nothing else (bench/floor-parse.mjs);
 * - both parsers, whole history: the same, while schema.prisma is parsed by the build's own schema worker
 *   (@mrleebo/prisma-ast, dist/cli/worker.js) as a cold run does, its answer awaited at the end;
 * - parser, one file: the same for the one new migration of a pre-commit run;
 * - migration-lint cold (`--no-cache`) on the whole history, and on the new migration by path;
 * - squawk on the whole history and on the new migration.
 *
 * Against issue 15's targets: cold <= 4.0x squawk, pre-commit <= 2.0x `node -e 0`, cold peak <= 100 MiB. What a
 * target leaves for our own work is its budget less the parser's floor.
 *
 *   npm run build && BENCH_RUNS=9 node bench/floor.mjs      (writes bench/results/floor.md)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchAll, ensureSquawk, fmt, machineLine, markdownTable, medianRatio, migrationFiles, root, snapshotBuild, SQUAWK_VERSION, triggerDevPrisma, triggerDevProject } from "./lib.mjs";

const source = triggerDevPrisma();
const runs = Number(process.env.BENCH_RUNS ?? 9);
const squawk = ensureSquawk();
const tmp = mkdtempSync(path.join(os.tmpdir(), "ml-bench-floor-"));
const { cli, dist } = snapshotBuild(tmp);
const { project, newDir, newFile, prepare } = triggerDevProject(tmp, source, "bench-floor");
const files = migrationFiles(path.join(project, "prisma/migrations"));
const removeNew = () => rmSync(newDir, { recursive: true, force: true });

const node = process.execPath;
const parse = path.join(root, "bench", "floor-parse.mjs");
// the flags bin/ gives Node on its command line from Node 23 on (V8 12.5+ reads them only there; older Nodes take
// --liftoff-only set at run time too, as floor-parse.mjs does)
const [v8Major, v8Minor] = process.versions.v8.split(".").map(Number);
const startupOnly = v8Major > 12 || (v8Major === 12 && v8Minor >= 5);
const parseRun = (...args) => ["--liftoff-only", ...(startupOnly ? ["--max-semi-space-size=2"] : []), parse, ...args];
const options = { cwd: project, env: { ...process.env, MIGRATION_LINT_NO_DAEMON: "1" } };
const squawkOptions = { cwd: project };
const schema = path.join(project, "prisma", "schema.prisma");
const [floor, parseAll, bothAll, cold, squawkAll, parseOne, coldOne, squawkOne] = benchAll(
  [
    { command: node, args: ["-e", "0"], ...options },
    { command: node, args: parseRun(...files), prepare: removeNew, ...options },
    { command: node, args: parseRun("--schema", schema, "--dist", dist, ...files), prepare: removeNew, ...options },
    { command: node, args: [cli, "-f", "json", "--no-cache"], prepare: removeNew, ...options },
    { command: squawk.path, args: ["--reporter", "gcc", ...files], prepare: removeNew, ...squawkOptions },
    { command: node, args: parseRun(newFile), prepare, ...options },
    { command: node, args: [cli, "-f", "json", "--no-cache", path.relative(project, newDir)], prepare, ...options },
    { command: squawk.path, args: ["--reporter", "gcc", newFile], prepare, ...squawkOptions },
  ],
  runs,
);
for (const [what, r] of [["the parser floor", parseAll], ["the parsers' floor", bothAll], ["the parser floor on one file", parseOne]]) {
  if (r.last.status !== 0 || !/^parsed \d+ files/.test(r.last.stdout)) throw new Error(`${what} failed: ${r.last.stderr || r.last.stdout}`);
}
for (const r of [cold, coldOne]) if (r.last.status !== 0 && r.last.status !== 1) throw new Error(`migration-lint failed: ${r.last.stderr}`);
rmSync(tmp, { recursive: true, force: true });

const ratio = (a, b) => `${fmt(medianRatio(a, b), 2)}x`;
const row = (label, r, sq) => [label, fmt(r.ms), fmt(r.cpuMs), fmt(r.rssMb), sq ? ratio(r, sq) : "", ratio(r, floor)];
const coldBudget = 4.0 * squawkAll.ms;
const preBudget = 2.0 * floor.ms;
const text = `# What the parser costs, against the targets

${machineLine()}; squawk ${SQUAWK_VERSION} ${squawk.native ? "native binary" : "npm wrapper (WARNING: adds a Node start-up)"}; median of ${runs} interleaved rounds (\`BENCH_RUNS=${runs} node bench/floor.mjs\`); peak MB = GNU time max RSS.

trigger.dev: ${files.length} migrations; the new migration: ALTER TABLE "TaskRun" ADD COLUMN + CREATE INDEX.

${markdownTable(
  ["run", "wall ms", "CPU ms", "peak MB", "/ squawk", "/ node -e 0"],
  [
    row("`node -e 0`", floor),
    row("parser floor, whole history (libpg-query parseSync of every file)", parseAll, squawkAll),
    row("both parsers' floor: the same, and schema.prisma in the run's schema worker meanwhile", bothAll, squawkAll),
    row("migration-lint cold, whole history", cold, squawkAll),
    row("squawk, whole history", squawkAll),
    row("parser floor, one file", parseOne, squawkOne),
    row("migration-lint cold, the new migration (the whole history read and replayed)", coldOne, squawkOne),
    row("squawk, the new migration", squawkOne),
  ],
  ["l", "r", "r", "r", "r", "r"],
)}

- Cold target (<= 4.0x squawk): ${fmt(coldBudget)} ms. The parser floor takes ${fmt(parseAll.ms)} ms of it (${fmt((100 * parseAll.ms) / coldBudget)}%); with schema.prisma parsed as a run parses it, the two parsers take ${fmt(bothAll.ms)} ms (${fmt((100 * bothAll.ms) / coldBudget)}%, ${ratio(bothAll, squawkAll)} squawk) before anything else is done; migration-lint takes ${fmt(cold.ms)} ms (${fmt(cold.ms / coldBudget, 2)}x the budget).
- Pre-commit target (<= 2.0x \`node -e 0\`): ${fmt(preBudget)} ms. Node and the parser on one file take ${fmt(parseOne.ms)} ms (${fmt((100 * parseOne.ms) / preBudget)}%): ${fmt(preBudget - parseOne.ms)} ms are left to read the cache, check the history and lint.
- Cold peak target (<= 100 MiB; peak MB here is MiB, as GNU time's KiB / 1024): the parser floor peaks at ${fmt(parseAll.rssMb)} MB (\`node -e 0\` ${fmt(floor.rssMb)} MB), both parsers at ${fmt(bothAll.rssMb)} MB; migration-lint at ${fmt(cold.rssMb)} MB.
`;
writeFileSync(path.join(root, "bench/results/floor.md"), text);
console.log(text);
