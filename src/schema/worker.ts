/** Worker thread entry: parses schema files off the main thread (chevrotain's start-up is the costly part), see load.ts. */
import { workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { parsePrismaSchema, type PrismaSchemaFile } from "./parse-schema.js";

const { files, port, signal } = workerData as { files: PrismaSchemaFile[]; port: MessagePort; signal: Int32Array };
try {
  const { modelForTable: _lookup, ...data } = parsePrismaSchema(files);
  port.postMessage({ data });
} catch {
  // the main thread parses inline and reports what went wrong
  port.postMessage({});
} finally {
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  port.close();
}
