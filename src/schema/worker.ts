/** Worker thread entry: parses schema files off the main thread (chevrotain's start-up is the costly part). */
import { parentPort, workerData } from "node:worker_threads";
import { parsePrismaSchema, type PrismaSchemaFile } from "./parse-schema.js";

const { modelForTable: _lookup, ...data } = parsePrismaSchema(workerData as PrismaSchemaFile[]);
parentPort!.postMessage(data);
