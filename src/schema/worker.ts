/**
 * Worker thread entry: parses schema files off the main thread (chevrotain's start-up is the costly part), see
 * load.ts. Each message is one schema to parse; the thread ends after one marked `last`, or when the main thread
 * ends it.
 */
import { parentPort } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { parsePrismaSchema, type PrismaSchemaFile } from "./parse-schema.js";

parentPort!.on("message", ({ files, port, signal, last }: { files: PrismaSchemaFile[]; port: MessagePort; signal: Int32Array; last: boolean }) => {
  try {
    const { modelForTable: _lookup, ...data } = parsePrismaSchema(files);
    // JSON, not a structured clone: locations pack to three numbers (SchemaSpan.toJSON), and on a 1.4 MB
    // schema JSON.parse plus unpacking takes 40 ms where deserializing the clone took 135 (and 2.5x the memory).
    port.postMessage({ json: JSON.stringify(data) });
  } catch {
    // the main thread parses inline and reports what went wrong
    port.postMessage({});
  } finally {
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
    port.close();
    if (last) parentPort!.close();
  }
});
