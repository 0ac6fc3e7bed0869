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
import { observe } from "../discover/observed.js";
import { createRequire } from "node:module";
import type * as WorkerThreads from "node:worker_threads";
import { decodeSource } from "../model/load.js";
import { SourceText } from "../parse/source-text.js";
import { parsePrismaSchema, unpackSchema, type PackedSchemaData, type PrismaSchemaFile } from "./parse-schema.js";
import type { PrismaSchemaModel } from "./types.js";

/** Below this many bytes of schema, a worker's own start-up costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 16 * 1024;
/** How long the main thread waits for the worker before parsing inline (a worker that cannot start never answers). */
const WORKER_WAIT_MS = 15_000;

export type SchemaFileProblem = PrismaSchemaModel["errors"][number];

export interface SchemaFilesRead {
  files: PrismaSchemaFile[];
  unreadable: Array<{ file: string; message: string }>;
  problems: SchemaFileProblem[];
}

/**
 * Reads the schema files. `problems` are what Prisma rejects before parsing while the lenient parser used
 * here would read on: bytes that are not UTF-8 (or UTF-16 with a BOM), a NUL byte, a string left open at
 * the end of its line. They are checked on every run, never cached with the parsed model.
 */
export function readSchemaFiles(paths: string[], unsaved?: ReadonlyMap<string, string>): SchemaFilesRead {
  const out: SchemaFilesRead = { files: [], unreadable: [], problems: [] };
  for (const file of paths) addSchemaFile(out, readSchemaFile(file, unsaved));
  return out;
}

export function addSchemaFile(out: SchemaFilesRead, read: ReturnType<typeof readSchemaFile>): void {
  if ("unreadable" in read) out.unreadable.push(read.unreadable);
  else {
    out.files.push(read.file);
    out.problems.push(...read.problems);
  }
}

/** One schema file of `readSchemaFiles` (an unsaved text stands for the file). */
export function readSchemaFile(file: string, unsaved?: ReadonlyMap<string, string>): { file: PrismaSchemaFile; problems: SchemaFileProblem[] } | { unreadable: { file: string; message: string } } {
  let bytes: Buffer;
  try {
    const held = unsaved?.get(file);
    if (held === undefined) observe(file, "content");
    bytes = held !== undefined ? Buffer.from(held) : readFileSync(file);
  } catch (err) {
    return { unreadable: { file, message: err instanceof Error ? err.message : String(err) } };
  }
  const { text, problem } = decodeSource(bytes, "schema.prisma");
  const problems: SchemaFileProblem[] = [];
  const source = new SourceText(text);
  const at = (offset: number, message: string) => problems.push({ file, message, ...source.positionAt(offset) });
  if (problem) at(problem.offset, problem.message);
  else for (const found of textProblems(source.text)) at(found.offset, found.message);
  return { file: { path: file, text }, problems };
}

/** A NUL byte, and the first string literal not closed on its line (Prisma's strings cannot hold a line break or a control character). */
export function textProblems(text: string): Array<{ offset: number; message: string }> {
  const found: Array<{ offset: number; message: string }> = [];
  const nul = text.indexOf("\0");
  if (nul >= 0) found.push({ offset: nul, message: "the file contains a NUL byte (U+0000)" });
  const open = unterminatedString(text);
  if (open !== null) found.push({ offset: open, message: "this string is not closed on its line (a string must end with \" on the same line)" });
  return found;
}

/**
 * A string, a comment to the end of its line, or a quote that opens no string closed on its line. One regular
 * expression over the text (0.5 ms on trigger.dev's 104 KB schema; a loop over its characters took 10-20 ms of every run,
 * a warm one too, before the loop was optimized).
 */
const STRING_OR_COMMENT = /"(?:[^"\\\n]|\\[^\n])*"|\/\/[^\n]*|"/g;

function unterminatedString(text: string): number | null {
  STRING_OR_COMMENT.lastIndex = 0;
  for (let m: RegExpExecArray | null; (m = STRING_OR_COMMENT.exec(text)); ) if (m[0] === '"') return m.index;
  return null;
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
  return new SchemaWorker(() => false).parse(files);
}

/** One schema worker thread and whether it has ended (an error, `terminate`, or its last schema answered). */
interface WorkerState {
  worker: WorkerThreads.Worker;
  ended: boolean;
}

/**
 * The schema worker of a lint run. The first schema large enough starts it. While `keep()` says another project
 * is still to be linted (a monorepo's), it stays after handing its schema over, and parses that project's schema
 * with prisma-ast already loaded and its code compiled: trigger.dev's second schema (32 KB, 3 migrations) kept
 * the main thread waiting 160-220 ms for a fresh worker. Otherwise it ends once it has answered, or when its
 * schema is taken (its memory is garbage then). `close()` ends it whatever is pending: the run calls it when done.
 */
export class SchemaWorker {
  /** The worker the next schema goes to, if one is running that will take it. */
  #current: WorkerState | null = null;
  /** Every worker not yet ended (one given its last schema ends itself, or is ended by close()). */
  readonly #live = new Set<WorkerState>();

  constructor(private readonly keep: () => boolean) {}

  parse(files: PrismaSchemaFile[]): SchemaHandle {
    let result: PrismaSchemaModel | null = null;
    const inline = () => (result ??= parsePrismaSchema(files));
    const size = files.reduce((n, f) => n + f.text.length, 0);
    const compiled = import.meta.url.endsWith(".js");
    if (!compiled || size < WORKER_THRESHOLD_BYTES) return { get: inline, ready: () => true };

    // loaded here, not at the top: a small or cached schema (every warm run) needs no worker (~1.5 ms)
    const { MessageChannel, receiveMessageOnPort } = createRequire(import.meta.url)("node:worker_threads") as typeof WorkerThreads;
    // The worker sets `signal[0]` to 1 (answer posted on `port`) and notifies; the main thread waits on it with Atomics.
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const answered = () => Atomics.load(signal, 0) === 1;
    const { port1, port2 } = new MessageChannel();
    let state: WorkerState | null = null;
    let last = false;
    try {
      state = this.#start();
      // the last schema of the run: the worker ends itself once it has answered (its heap freed then, not at the run's end)
      last = !this.keep();
      state.worker.postMessage({ files, port: port2, signal, last }, [port2]);
      if (last) this.#current = null;
    } catch {
      state = null;
    }
    return {
      get: () => {
        if (result) return result;
        if (state && (answered() || (!state.ended && Atomics.wait(signal, 0, 0, WORKER_WAIT_MS) !== "timed-out"))) {
          const message = receiveMessageOnPort(port1)?.message as { json?: string } | undefined;
          if (message?.json) result = unpackSchema(JSON.parse(message.json), files);
        }
        port1.close();
        if (last) void state?.worker.terminate();
        else if (!this.keep()) this.close();
        return inline();
      },
      ready: () => result !== null || !state || state.ended || answered(),
    };
  }

  close(): void {
    for (const state of this.#live) {
      // ended now, not when its exit event comes: a schema not yet handed over is parsed inline, not waited for
      state.ended = true;
      void state.worker.terminate();
    }
    this.#live.clear();
    this.#current = null;
  }

  #start(): WorkerState {
    if (this.#current && !this.#current.ended) return this.#current;
    const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof WorkerThreads;
    const state: WorkerState = { worker: new Worker(new URL("./worker.js", import.meta.url)), ended: false };
    const ended = () => {
      state.ended = true;
      this.#live.delete(state);
      if (this.#current === state) this.#current = null;
    };
    state.worker.once("error", ended);
    state.worker.once("exit", ended);
    // a pending worker must not keep the process alive (nor a run that never reads the schema)
    state.worker.unref();
    this.#live.add(state);
    this.#current = state;
    return state;
  }
}
