#!/usr/bin/env node
/**
 * Replays every Prisma project of the real corpus (../shared/corpus) with the
 * built replay engine (`npm run build` first): applies each history in order on
 * PGlite (or on a scratch database of DATABASE_URL), then compares the result
 * with the project's schema.prisma. Prints per project: migrations applied,
 * failures, drift findings and time; with REPLAY_VERBOSE=1 every finding.
 *
 *   npm run build && node bench/replay-corpus.mjs
 *   REPLAY_ALL_IN_SCOPE=1 node bench/replay-corpus.mjs   # also lock-trace every migration
 *   CORPUS=/path/to/corpus DATABASE_URL=postgresql://... node bench/replay-corpus.mjs
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.MIGRATION_LINT_DIST ?? path.join(root, "dist"));
const corpus = path.resolve(process.env.CORPUS ?? path.join(root, "..", "shared", "corpus"));
const verbose = process.env.REPLAY_VERBOSE === "1";
const allInScope = process.env.REPLAY_ALL_IN_SCOPE === "1";

if (!existsSync(corpus)) {
  console.log(`No corpus at ${corpus}: nothing to replay.`);
  process.exit(0);
}
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { replay } = await load("src/replay/index.js");
const { prismaMigrateSource } = await load("src/sources/prisma-migrate.js");
const { loadMigrations } = await load("src/model/load.js");
const { readSchemaFiles } = await load("src/schema/load.js");
const { parsePrismaSchema } = await load("src/schema/parse-schema.js");

/** Every folder holding a migration_lock.toml is a migrations folder; its parent holds the schema. */
function findMigrationDirs(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (existsSync(path.join(full, "migration_lock.toml"))) out.push(full);
    else findMigrationDirs(full, out);
  }
  return out.sort();
}

const rows = [];
for (const migrationsDir of findMigrationDirs(corpus)) {
  const project = path.relative(corpus, path.dirname(migrationsDir));
  const schemaDir = path.dirname(migrationsDir);
  const schemaPaths = readdirSync(schemaDir).filter((f) => f.endsWith(".prisma")).map((f) => path.join(schemaDir, f));
  const schema = parsePrismaSchema(readSchemaFiles(schemaPaths).files);
  const migrations = await loadMigrations(await prismaMigrateSource.list(migrationsDir));
  const started = performance.now();
  const report = await replay({
    migrations,
    inScope: () => allInScope,
    schema,
    lockTrace: allInScope,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  });
  const ms = Math.round(performance.now() - started);
  const all = [...report.messages.entries()].flatMap(([file, list]) => list.map((m) => ({ file, ...m })));
  const by = (rule) => all.filter((m) => m.ruleId === rule);
  const failures = by("replay-failed");
  const drift = by("schema-drift");
  rows.push({
    project,
    migrations: migrations.length,
    applied: report.timings.migrations,
    failures: failures.filter((m) => m.severity === 2).length + (report.timings.migrations < migrations.length && !failures.some((m) => m.severity === 2) ? 1 : 0),
    drift: drift.length,
    lockWarnings: by("lock-trace").length,
    traced: report.lockTrace.length,
    schemaErrors: schema.errors.length,
    ms,
  });
  if (verbose || failures.length) for (const m of failures) console.log(`  ${project}: ${path.relative(corpus, m.file)}:${m.line}:${m.column} [${m.ruleId}] ${m.message}`);
  if (verbose) for (const m of [...drift, ...by("lock-trace"), ...by("rollback-mismatch")]) console.log(`  ${project}: ${path.relative(corpus, m.file)}:${m.line} [${m.ruleId}] ${m.message}`);
  else for (const m of drift.slice(0, 20)) console.log(`  ${project}: ${path.relative(corpus, m.file)}:${m.line} [schema-drift] ${m.message}`);
}

console.log("");
console.log("| project | migrations | applied | failures | drift | time |" + (allInScope ? " traced statements | lock warnings |" : ""));
console.log("|---|---|---|---|---|---|" + (allInScope ? "---|---|" : ""));
for (const r of rows) {
  console.log(`| ${r.project} | ${r.migrations} | ${r.applied} | ${r.failures} | ${r.drift}${r.schemaErrors ? " (schema did not parse)" : ""} | ${(r.ms / 1000).toFixed(1)} s |` + (allInScope ? ` ${r.traced} | ${r.lockWarnings} |` : ""));
}
