/**
 * Keeps a command line run at the end of its cache file, for the next run of the same command to replay while
 * every input is as it was (src/cache/last-run.ts says what the inputs are and how the replay checks them).
 *
 * A run is kept only when nothing but those inputs can change its report, so anything else keeps nothing:
 * - an option outside KEPT_OPTIONS: the cache off; git (`--base`, `--staged`); a database (`--replay`,
 *   `--drift-only`, `--lock-trace`); writing files (`--fix`, `--write-baseline`, `-o`, `-f <name>:<file>`);
 *   `--stdin`; `--debug` (timings); `--rulesdir`;
 * - a formatter that is not built in, and user code of any kind (a JavaScript or TypeScript config, plugins):
 *   code can read anything;
 * - a listing that cannot be checked by paths (src/discover/observed.ts `unsure`);
 * - a path it looked at that changed less than RACY_MS before the run began: a second change within the
 *   timestamps' granularity, to the same size, would not show (as git treats racily clean files);
 * - an exit code other than 0 or 1, and a cache file that is not the one the run used.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { CACHE_HEADER } from "../cache/cache.js";
import { headerPaths, lastRunBlock, lastRunFile, readAt, runKey, trailerOf, TRAILER_BYTES, type KeptRun } from "../cache/last-run.js";
import { startObserving, stateOf, type Observation, type PathState } from "../discover/observed.js";
import { formatterNames } from "../formatters/index.js";
import { RACY_MS } from "../model/load.js";

/** The options a kept run may have (every other one keeps nothing; see above). */
const KEPT_OPTIONS = new Set(["format", "quiet", "max-warnings", "color", "no-color", "config", "rule", "report-unused-disable-directives", "baseline", "no-baseline", "no-error-on-unmatched-pattern", "ignore-pattern", "schema", "migrations", "rule-time-budget", "cache", "cache-location", "cwd", "daemon"]);

export class RunRecording {
  private readonly started = Date.now();
  /** The day the run began (a baseline entry expires on a day: the key has it). */
  private readonly today = new Date(this.started).toISOString().slice(0, 10);
  private readonly paths = new Map<string, { what: Observation; state: PathState }>();
  private refused: string | null = null;
  /** Paths changed after this were changed less than RACY_MS (src/model/load.ts) before the run began. */
  private readonly since: number;
  private stop: () => void = () => {};
  private kept = false;

  /** Starts recording the run of `argv` (from before it looks at any path), or refuses at once for its options. */
  constructor(
    private readonly argv: readonly string[],
    private readonly colorDefault: boolean,
    values: Record<string, unknown>,
    positionals: readonly string[],
  ) {
    this.since = this.started - RACY_MS;
    const option = Object.keys(values).find((name) => !KEPT_OPTIONS.has(name));
    if (option) this.refuse(`--${option}`);
    for (const format of (values.format as string[] | undefined) ?? []) if (!formatterNames.includes(format)) this.refuse(`--format ${format}`);
    if (positionals[0] === "explain") this.refuse("explain");
    if (this.refused) return;
    this.stop = startObserving({
      path: (file, what, stats) => {
        const seen = this.paths.get(file);
        if (seen && (what === "kind" || seen.what === "content")) return;
        const state = stateOf(file, what, stats);
        // a second change within the timestamps' granularity, to the same size, would not show
        if (state.length > 1 && Math.max(state[2]!, state[3]!) > this.since) this.refuse("a path changed just before the run");
        else this.paths.set(file, { what, state });
      },
      unsure: () => this.refuse("a listing that cannot be checked by paths"),
    });
  }

  /** Keeps nothing of this run (the reason is for tests and debugging), and stops recording it. */
  refuse(why: string): void {
    this.refused ??= why;
    this.stop();
    this.stop = () => {};
    this.paths.clear();
  }

  /** Why this run was not kept, once `finish` has run; null when it was. */
  get reason(): string | null {
    return this.kept ? null : this.refused ?? "not finished";
  }

  /**
   * Ends the recording; keeps the run at the end of its cache file when it may be (see above). `cacheFiles`: the
   * files the run's projects used. Never throws: a run that cannot be kept is just not kept.
   */
  finish(code: number, output: KeptRun["output"], cacheFiles: readonly string[]): void {
    this.stop();
    if (this.refused) return;
    if (code !== 0 && code !== 1) return this.refuse(`exit code ${code}`);
    // what the replay computes first (src/cache/last-run.ts), computed here only for a run that may be kept
    const key = runKey(this.argv, this.colorDefault, this.today);
    const file = lastRunFile(this.argv);
    if (!key || !file) return this.refuse("no key or no cache file");
    if (!cacheFiles.includes(file)) return this.refuse("the run used another cache file");
    try {
      this.kept = appendBlock(file, (at) => lastRunBlock({ key, ...headerPaths(this.paths) }, { code, output }, at));
    } catch {
      this.refuse("the cache file could not be written");
    }
  }
}

/** Writes the block in place of the one the file ends with, or at its end; false when the file is not a cache file. */
function appendBlock(file: string, block: (at: number) => Buffer): boolean {
  const fd = openSync(file, "r+");
  try {
    const { size } = fstatSync(fd);
    if (size < CACHE_HEADER.length || readAt(fd, CACHE_HEADER.length, 0).toString("latin1") !== CACHE_HEADER) return false;
    const at = size >= TRAILER_BYTES ? trailerOf(readAt(fd, TRAILER_BYTES, size - TRAILER_BYTES), size)?.at ?? size : size;
    const bytes = block(at);
    // written over the old block, then cut to length: a run that stops between the two leaves no trailer at the end (a miss)
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
    ftruncateSync(fd, at + bytes.length);
    return true;
  } finally {
    closeSync(fd);
  }
}
