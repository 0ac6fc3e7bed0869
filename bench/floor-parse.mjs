#!/usr/bin/env node
/**
 * The parser floor of bench/floor.mjs: libpg-query loaded as bin/migration-lint.js loads it (`--liftoff-only` set at
 * run time on Node 20 and 22), then every file given read and parsed with parseSync, whose JSON parse tree it makes
 * into objects. Nothing else: no lexer, ranges, operations, catalog or rules. Prints how many files parsed.
 *
 * With `--schema` and `--dist`, schema.prisma is parsed at the same time by that build's schema worker, as a run does.
 *
 *   node bench/floor-parse.mjs [--schema <schema.prisma> --dist <dist>] <migration.sql>...
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import v8 from "node:v8";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

v8.setFlagsFromString("--liftoff-only");
const args = process.argv.slice(2);
// `--schema <schema.prisma> --dist <dist>`: schema.prisma is parsed meanwhile by that build's schema worker
// (dist/cli/worker.js, as a run starts it), and its answer is awaited at the end
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? null : args.splice(at, 2)[1];
};
const schemaFile = option("--schema");
const dist = option("--dist");
let schemaDone = null;
if (schemaFile) {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const files = [{ path: schemaFile, text: readFileSync(schemaFile, "utf8") }];
  const worker = new Worker(new URL(`file://${dist}/cli/worker.js`));
  worker.postMessage({ files, port: port2, signal }, [port2]);
  worker.unref();
  schemaDone = () => {
    Atomics.wait(signal, 0, 0);
    const answer = receiveMessageOnPort(port1)?.message;
    if (!answer?.json) throw new Error("the schema worker did not answer");
    return JSON.parse(answer.json).models.length;
  };
}
const require = createRequire(import.meta.url);
const parser = require("libpg-query");
await parser.loadModule();
let parsed = 0;
let failed = 0;
for (const file of args) {
  try {
    parser.parseSync(readFileSync(file, "utf8"));
    parsed++;
  } catch {
    failed++;
  }
}
const models = schemaDone ? `, and schema.prisma's ${schemaDone()} models` : "";
console.log(`parsed ${parsed} files, ${failed} did not parse${models}`);
