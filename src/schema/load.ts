/**
 * Reads and parses the project's schema files. Loading @mrleebo/prisma-ast
 * (chevrotain builds its grammar at start-up) and parsing a large schema cost
 * ~300 ms cold, as much as parsing an 800-migration history; so when running
 * compiled, the schema is parsed in a worker thread while the main thread
 * parses the migrations. Under a TypeScript test runner it parses inline.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { decodeText } from "../model/load.js";
import { parsePrismaSchema, withTableLookup, type PrismaSchemaData, type PrismaSchemaFile } from "./parse-schema.js";
import type { PrismaSchemaModel } from "./types.js";

/** Below this many bytes of schema, a worker's own start-up costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 16 * 1024;

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

export function parseSchemaInBackground(files: PrismaSchemaFile[]): Promise<PrismaSchemaModel> {
  const size = files.reduce((n, f) => n + f.text.length, 0);
  const compiled = import.meta.url.endsWith(".js");
  if (!compiled || size < WORKER_THRESHOLD_BYTES) return Promise.resolve(parsePrismaSchema(files));
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: files });
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      resolve(parsePrismaSchema(files));
    };
    worker.once("message", (data: PrismaSchemaData) => {
      settled = true;
      resolve(withTableLookup(data));
      void worker.terminate();
    });
    worker.once("error", fallback);
    worker.once("exit", fallback);
  });
}
