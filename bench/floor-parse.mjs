#!/usr/bin/env node
/**
 * The parser floor of bench/floor.mjs: libpg-query loaded as bin/migration-lint.js loads it (`--liftoff-only` set at
 * run time on Node 20 and 22), then every file given read and parsed with parseSync, whose JSON parse tree it makes
 * into objects. Nothing else: no lexer, ranges, operations, catalog or rules. Prints how many files parsed.
 *
 *   node bench/floor-parse.mjs <migration.sql>...
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import v8 from "node:v8";

v8.setFlagsFromString("--liftoff-only");
const require = createRequire(import.meta.url);
const parser = require("libpg-query");
await parser.loadModule();
let parsed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    parser.parseSync(readFileSync(file, "utf8"));
    parsed++;
  } catch {
    failed++;
  }
}
console.log(`parsed ${parsed} files, ${failed} did not parse`);
