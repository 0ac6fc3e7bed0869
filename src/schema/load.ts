/**
 * Reads and parses the project's schema files. Loading @mrleebo/prisma-ast
 * (chevrotain builds its grammar at start-up) and parsing a large schema cost
 * ~250 ms cold on a 100 KB schema, a third of an 800-migration history; so when
 * running compiled, the schema is parsed in a worker thread on another core
 * while the main thread parses and lints the migrations. Rules ask for the
 * schema only when they report (to point the fix at a model), so the main
 * thread blocks on the worker the first time something reads it, usually long
 * after the worker is done. Under a TypeScript test runner it parses inline.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as WorkerThreads from "node:worker_threads";
import { decodeText } from "../model/load.js";
import { parsePrismaSchema, unpackSchema, type PackedSchemaData, type PrismaSchemaFile } from "./parse-schema.js";
import type { PrismaSchemaModel } from "./types.js";

/** Below this many bytes of schema, a worker's own start-up costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 16 * 1024;
/** How long the main thread waits for the worker before parsing inline (a worker that cannot start never answers). */
const WORKER_WAIT_MS = 15_000;

export function readSchemaFiles(paths: string[]): { files: PrismaSchemaFile[]; unreadable: Array<{ file: string; message: string }> } {
  const files: PrismaSchemaFile[] = [];
  const unreadable: Array<{ file: string; message: string }> = [];
  for (const file of paths) {
    try {
      files.push({ path: file, text: decodeText(readFileSync(file)) });
    } catch (err) {
      unreadable.push({ file, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { files, unreadable };
}

/** A schema that is parsed once, on first `get()`, or is already being parsed in a worker. */
export interface SchemaHandle {
  get(): PrismaSchemaModel;
  /** False only while a worker is still parsing (the time `get()` would wait, which the caller may spend on other work). */
  ready(): boolean;
}

/** The schema from the cache (packed, for these very files), or null when it cannot be unpacked: then it is parsed again. */
export function unpackCachedSchema(packed: PackedSchemaData, files: PrismaSchemaFile[]): SchemaHandle | null {
  try {
    const schema = unpackSchema(packed, files);
    return { get: () => schema, ready: () => true };
  } catch {
    return null;
  }
}

/** Starts parsing the schema (in a worker when it is large and we run compiled); `get()` returns it, blocking if the worker is not done yet. */
export function startSchemaParse(files: PrismaSchemaFile[]): SchemaHandle {
  let result: PrismaSchemaModel | null = null;
  const inline = () => (result ??= parsePrismaSchema(files));
  const size = files.reduce((n, f) => n + f.text.length, 0);
  const compiled = import.meta.url.endsWith(".js");
  if (!compiled || size < WORKER_THRESHOLD_BYTES) return { get: inline, ready: () => true };

  // loaded here, not at the top: a small or cached schema (every warm run) needs no worker (~1.5 ms)
  const { MessageChannel, receiveMessageOnPort, Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof WorkerThreads;
  // The worker sets `signal[0]` to 1 (answer posted on `port`) and notifies; the main thread waits on it with Atomics.
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let failed = false;
  let worker: WorkerThreads.Worker | null = null;
  try {
    worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: { files, port: port2, signal }, transferList: [port2] });
    worker.once("error", () => (failed = true));
    worker.once("exit", () => (failed = true));
    // a pending worker must not keep the process alive (nor a run that never reads the schema)
    worker.unref();
  } catch {
    failed = true;
  }
  return {
    get() {
      if (result) return result;
      if (!failed && Atomics.wait(signal, 0, 0, WORKER_WAIT_MS) !== "timed-out") {
        const message = receiveMessageOnPort(port1)?.message as { json?: string } | undefined;
        if (message?.json) result = unpackSchema(JSON.parse(message.json), files);
      }
      port1.close();
      void worker?.terminate();
      return inline();
    },
    ready: () => result !== null || failed || Atomics.load(signal, 0) === 1,
  };
}
