/**
 * The last run of a command, kept at the end of its cache file. Run again with every input as it was, the same
 * command gives the same report; bin/migration-lint.js then prints what that run printed (stdout and stderr, in
 * order) and exits with its code, without loading the linter, the cache or a formatter. A warm run of
 * trigger.dev's 820 migrations, every finding cached, still loaded ~50 modules and the 2 MB cache and wrote the
 * report (~450 ms on 2 cores); this stats the ~1,800 paths that run looked at (see bench/results/corpus.md).
 *
 * "Every input" (what src/cli/record-run.ts keeps, and when it keeps nothing):
 * - the command: its arguments, working directory and the environment variables a run reads (`keyEnvironment`;
 *   kept as a hash, and never while a database URL is set), whether stdout and
 *   stderr are terminals and stdout's width, the colour default, today's date (a baseline entry expires on a day),
 *   Node's version and flags, and the built code (dist/code-digest.json; none when running from the sources);
 * - every path the run looked at (src/discover/observed.ts): for a path whose kind mattered (a config file
 *   that is not there), whether it is a file, a folder or absent; for a file it read or a folder it listed, also
 *   its size, modification and status-change times and inode (a folder's times change when an entry in it is
 *   added, removed or renamed). A run looks at these paths before it reads them, so a change after that shows.
 *
 * The block at the end of the file: a line break, `#`, the header (JSON, ASCII: the key, the paths and their
 * states, the exit code and the length of each output), a line break, the output's bytes, and a fixed-size
 * trailer with the key and where the block starts. The cache's journal (src/cache/cache.ts) ends at the block's `#`; a
 * journal line appended later takes the block's place, and a whole rewrite drops it.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { OPTIONS } from "../cli/options.js";
import { unicodeEscape } from "../controls.js";
import { fromShell } from "../cli/paths.js";
import { stateOf, type Observation, type PathState } from "../discover/observed.js";
import { quickHash } from "../quick-hash.js";
import { builtCodeDigest } from "../version.js";
import { runEnvironment } from "../daemon/protocol.js";
import { defaultCacheFile, resolveCacheLocation } from "./location.js";

/** Bumped when what the key covers or the block's layout changes: an older block is then a miss. */
const LAST_RUN_FORMAT = 1;
const TRAILER_PREFIX = "\n#migration-lint last run ";
/** A key's length (quickHash: 28 hex digits). */
const KEY_CHARS = 28;
/**
 * The trailer: its prefix, the run's key (so that another command's run is passed over without reading its block),
 * " at ", the block's offset in 15 digits, a line break.
 */
export const TRAILER_BYTES = TRAILER_PREFIX.length + KEY_CHARS + 4 + 16;
const TRAILER = /^\n#migration-lint last run ([0-9a-f]{28}) at (\d{15})\n$/;

export interface KeptRun {
  code: number;
  /** Each write of the run, in order: to stdout (1) or stderr (2). */
  output: Array<[1 | 2, string | Uint8Array]>;
}

export interface LastRunHeader {
  format: number;
  key: string;
  /** The paths the run looked at, absolute, sorted, each as the length of the prefix it shares with the one before and the rest. */
  shared: number[];
  paths: string[];
  /** Per path, "c" (what it holds mattered) or "k" (its kind). */
  what: string;
  /** Their states one after another, as src/discover/observed.ts `stateOf` gives them (one number for "k", five for "c"). */
  states: number[];
  code: number;
  /** Each write of the run: stdout (1) or stderr (2), and its length in bytes. */
  output: Array<[1 | 2, number]>;
}

/** Node's own flags that bin/migration-lint.js sets (on its command line too, from Node 23 on, after this check): not the user's. */
const OWN_FLAGS = /^--(liftoff-only|heap-growing-percent=\d+|max-semi-space-size=\d+)$/;

/**
 * What a run's report depends on besides the paths it looked at, as one hash; null where no run can be kept (the
 * working directory cannot be read, or the code is not built). Terminals are asked of the file descriptors, not
 * `process.stdout`, whose set-up costs a replay ~5 ms.
 */
export function runKey(argv: readonly string[], colorDefault: boolean, today = new Date().toISOString().slice(0, 10)): string | null {
  const digest = builtCodeDigest();
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    return null;
  }
  if (!digest) return null;
  const env = keyEnvironment(process.env);
  if (!env) return null;
  const terminal = [isTerminal(1), isTerminal(2), isTerminal(1) ? process.stdout.columns ?? 0 : 0];
  const flags = process.execArgv.filter((flag) => !OWN_FLAGS.test(flag));
  return quickHash(JSON.stringify([LAST_RUN_FORMAT, digest, process.version, flags, cwd, argv, colorDefault, terminal, today, env]));
}

/**
 * The environment variables a kept run's report can depend on, sorted: those a run reads (src/daemon/protocol.ts
 * `runEnvironment`: ours, colour, where configs are found, time zone and locale) without git's and PATH (only
 * `--base`, `--staged` and replay use them, and those runs are never kept), and NODE_OPTIONS (flags, and code it
 * can load into any Node). Null while MIGRATION_LINT_DATABASE_URL or MIGRATION_LINT_ADMIN_URL is set: a password
 * there is redacted from the report, and no hash of it is written to the cache file. The rest of the environment
 * (tokens, other programs' settings) is left out of the key, so no hash of it is written either.
 */
export function keyEnvironment(env: NodeJS.ProcessEnv): Array<[string, string]> | null {
  if (env.MIGRATION_LINT_DATABASE_URL !== undefined || env.MIGRATION_LINT_ADMIN_URL !== undefined) return null;
  const kept = Object.entries(runEnvironment(env)).filter(([name]) => !name.startsWith("GIT_") && name !== "PATH");
  if (env.NODE_OPTIONS !== undefined) kept.push(["NODE_OPTIONS", env.NODE_OPTIONS]);
  return kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Whether file descriptor 1 or 2 is a terminal, as `process.stdout.isTTY` says, without setting up the stream (and
 * loading node:tty) unless it is a character device: a pipe or a file (CI, git hooks, editors) never is.
 */
export function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return !!(fd === 1 ? process.stdout : process.stderr).isTTY;
}

/**
 * The cache file a command's last run is kept in: `--cache-location`'s (from the shell's directory), else the
 * default file of the working directory (`--cwd`). Null when the command has no such file (`--no-cache`, or it
 * does not parse).
 */
export function lastRunFile(argv: readonly string[]): string | null {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch {
    return null;
  }
  if (values["no-cache"]) return null;
  let shell: string;
  try {
    shell = process.cwd();
  } catch {
    return null;
  }
  const cwd = path.resolve(shell, values.cwd ?? ".");
  return values["cache-location"] ? resolveCacheLocation(cwd, fromShell(values["cache-location"], shell)) : defaultCacheFile(cwd);
}

/** Whether every path of the header is as the run saw it (stops at the first that is not). */
function unchanged(header: LastRunHeader): boolean {
  const { shared, paths, what, states } = header;
  if (!Array.isArray(shared) || !Array.isArray(paths) || !Array.isArray(states) || typeof what !== "string" || shared.length !== paths.length || what.length !== paths.length) return false;
  let at = 0;
  for (const [i, file] of pathsOf(header).entries()) {
    const state = stateOf(file, what[i] === "c" ? "content" : "kind");
    for (let j = 0; j < state.length; j++) if (state[j] !== states[at++]) return false;
  }
  return at === states.length;
}

/** What a recording saw (path -> what of it mattered and its state), as the header keeps it. */
export function headerPaths(seen: ReadonlyMap<string, { what: Observation; state: PathState }>): Pick<LastRunHeader, "shared" | "paths" | "what" | "states"> {
  const sorted = [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const kept: Pick<LastRunHeader, "shared" | "paths" | "what" | "states"> = { shared: [], paths: [], what: "", states: [] };
  let previous = "";
  for (const [file, { what, state }] of sorted) {
    let n = 0;
    while (n < file.length && n < previous.length && file.charCodeAt(n) === previous.charCodeAt(n)) n++;
    kept.shared.push(n);
    kept.paths.push(file.slice(n));
    kept.what += what === "content" ? "c" : "k";
    kept.states.push(...state);
    previous = file;
  }
  return kept;
}

/** The block for the end of the cache file (starting at byte `at` of the file). */
export function lastRunBlock(header: Omit<LastRunHeader, "output" | "format" | "code">, run: KeptRun, at: number): Buffer {
  const outputs = run.output.map(([, text]) => (typeof text === "string" ? Buffer.from(text, "utf8") : text));
  const full: LastRunHeader = { format: LAST_RUN_FORMAT, ...header, code: run.code, output: run.output.map(([fd], i) => [fd, outputs[i]!.length]) };
  // JSON in ASCII: nothing in it can be a line break, and its bytes are its characters
  const head = Buffer.from(`\n#${JSON.stringify(full).replace(/[^\x20-\x7e]/g, unicodeEscape)}\n`, "latin1");
  return Buffer.concat([head, ...outputs, Buffer.from(`${TRAILER_PREFIX}${header.key} at ${String(at).padStart(15, "0")}\n`, "latin1")]);
}

/** The key and start of the block at the end of a file of `size` bytes, given the file's last TRAILER_BYTES; null when it ends otherwise. */
export function trailerOf(tail: Buffer, size: number): { key: string; at: number } | null {
  const match = tail.length === TRAILER_BYTES ? TRAILER.exec(tail.toString("latin1")) : null;
  const at = match ? Number(match[2]) : Infinity;
  return at < size - TRAILER_BYTES ? { key: match![1]!, at } : null;
}

/** Reads `length` bytes at `position` (all of them, or throws). */
export function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error("short read");
    done += n;
  }
  return buffer;
}

/** The run kept at the end of `file`, as it was written (only if its key is `keyOf()`'s, when given), or null: none, another, torn, or not this format. */
export function readLastRun(file: string, keyOf?: () => string | null): { header: LastRunHeader; run: KeptRun; files(): string[] } | null {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const { size } = fstatSync(fd);
    if (size < TRAILER_BYTES + 2) return null;
    const trailer = trailerOf(readAt(fd, TRAILER_BYTES, size - TRAILER_BYTES), size);
    // the key is computed only when a run is kept (~1-2 ms: the environment hashed)
    if (!trailer || (keyOf !== undefined && trailer.key !== keyOf())) return null;
    const { at } = trailer;
    const block = readAt(fd, size - TRAILER_BYTES - at, at);
    if (block[0] !== 0x0a || block[1] !== 0x23) return null;
    const headEnd = block.indexOf(0x0a, 2);
    if (headEnd < 0) return null;
    const header = JSON.parse(block.toString("latin1", 2, headEnd)) as LastRunHeader;
    if (header.format !== LAST_RUN_FORMAT || header.key !== trailer.key || !Array.isArray(header.output) || !Number.isInteger(header.code)) return null;
    const output: KeptRun["output"] = [];
    let offset = headEnd + 1;
    for (const [fd, length] of header.output) {
      if ((fd !== 1 && fd !== 2) || !Number.isInteger(length) || length < 0) return null;
      output.push([fd, block.subarray(offset, offset + length)]);
      offset += length;
    }
    if (offset !== block.length) return null;
    return { header, run: { code: header.code, output }, files: () => pathsOf(header) };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The header's paths, absolute. */
function pathsOf(header: LastRunHeader): string[] {
  let file = "";
  return header.paths.map((rest, i) => (file = file.slice(0, header.shared[i]) + rest));
}

/**
 * The last run of this command when every input is as it was then; null otherwise (no such run kept, another
 * command's, an input changed, a torn or foreign block: then the command runs).
 */
export function replayLastRun(argv: readonly string[], colorDefault: boolean): KeptRun | null {
  try {
    const file = lastRunFile(argv);
    const kept = file ? readLastRun(file, () => runKey(argv, colorDefault)) : null;
    return kept && unchanged(kept.header) ? kept.run : null;
  } catch {
    return null;
  }
}

/**
 * Writes a kept run's output to file descriptors 1 and 2 as it was written, and returns its exit code. Straight to
 * the descriptors: setting up `process.stdout` for a pipe costs ~5 ms. A descriptor that would block (a
 * non-blocking pipe its reader is slow to drain) gets the rest through the stream; a closed one (`| head -1`:
 * EPIPE) gets nothing more, as the command line does.
 */
export function writeKept(run: KeptRun): number {
  const closed = new Set<number>();
  const streamed = new Set<number>();
  for (const [fd, text] of run.output) {
    if (closed.has(fd)) continue;
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    const stream = fd === 1 ? process.stdout : process.stderr;
    if (streamed.has(fd)) {
      stream.write(bytes);
      continue;
    }
    for (let done = 0; done < bytes.length; ) {
      try {
        done += writeSync(fd, bytes, done, bytes.length - done);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") {
          streamed.add(fd);
          stream.on("error", () => closed.add(fd));
          stream.write(bytes.subarray(done));
        } else closed.add(fd);
        break;
      }
    }
  }
  return run.code;
}
