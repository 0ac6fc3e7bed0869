/**
 * User code runs inside the CLI's process: a JavaScript or TypeScript config,
 * plugins, rules-folder files and formatter modules. A `process.exit(0)` in any
 * of them (at import, in `create()`, in a visitor, in a timer) ended the run
 * with exit 0 and no report: green without anything checked. Here exiting is
 * refused during a run (the call throws, so a rule that calls it crashes like
 * one that throws, and a config or plugin that calls it at import fails to
 * load), anything user code throws outside the run's own call stack is kept
 * and reported, and a run that ends before its report is written exits 2 and
 * says so. None of this is for the library: only the CLI installs it.
 */
import { fileURLToPath } from "node:url";
import { MigrationLintError, errorMessage } from "../errors.js";
import { showControls } from "../controls.js";
import { redact } from "../redact.js";

/** What a refused `process.exit()` throws. */
export class ExitCalledError extends MigrationLintError {
  constructor(code: unknown, at: string | null) {
    super(
      "config",
      `process.exit(${code === undefined ? "" : String(code)}) was called${at ? ` at ${at}` : ""}: a config, plugin, rule or formatter must not end the run (the report would be lost), so migration-lint refused it`,
    );
    this.name = "ExitCalledError";
  }
}

/** `file:line` of the first stack frame that is not Node's own, or null. */
export function firstUserFrame(stack: string | undefined): string | null {
  for (const line of (stack ?? "").split("\n")) {
    if (!/^\s*at /.test(line)) continue;
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/.exec(line);
    if (!m || m[1]!.startsWith("node:")) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!;
    return `${file}:${m[2]}`;
  }
  return null;
}

/** Replaces `process.exit` with one that throws an ExitCalledError naming its caller; returns the real one. */
export function refuseProcessExit(): typeof process.exit {
  const original = process.exit;
  const refused = function exit(code?: unknown): never {
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 10;
    Error.captureStackTrace(holder, refused);
    Error.stackTraceLimit = limit;
    throw new ExitCalledError(code, firstUserFrame(holder.stack));
  };
  process.exit = refused as typeof process.exit;
  return original.bind(process);
}

/**
 * A one-line description of something thrown outside the run's call stack, with where it came from. It quotes
 * user code's own message, so it is shown as every other line is: passwords of connection strings removed and
 * control characters escaped (src/redact.ts, src/controls.ts).
 */
export function describeStray(err: unknown): string {
  if (err instanceof ExitCalledError) return showControls(redact(err.message));
  const at = err instanceof Error ? firstUserFrame(err.stack) : null;
  const name = err instanceof Error ? err.name : "a value";
  return showControls(redact(`${name} thrown outside any rule${at ? ` at ${at}` : ""} (a timer or promise of a config, plugin or formatter?): ${errorMessage(err).split("\n")[0]}`));
}

export interface GuardedProcess {
  /** Call with main()'s exit code once the report is written: reports what user code did meanwhile, then exits. */
  finish(code: number): void;
}

/**
 * Guards the CLI's process for the whole run and after it. `stderr` must
 * write synchronously enough to be seen from an `exit` handler (process.stderr does);
 * `flush` are the stream writes (stdout's, stderr's) to wait for before exiting.
 */
export function guardProcess(stderr: (text: string) => void, flush: Array<(text: string, done: () => void) => unknown>): GuardedProcess {
  const exit = refuseProcessExit();
  const strays: string[] = [];
  let finished = false;
  const onStray = (err: unknown) => {
    const line = describeStray(err);
    strays.push(line);
    // after the report a stray still makes the run fail: it may have been meant to change the outcome
    if (finished) {
      stderr(`migration-lint: ${line}\n`);
      process.exitCode = 2;
    }
  };
  process.on("uncaughtException", onStray);
  process.on("unhandledRejection", onStray);
  process.on("exit", (code) => {
    if (finished) return;
    for (const line of strays) stderr(`migration-lint: ${line}\n`);
    stderr(`migration-lint: the run ended before the report was written (exit code ${code}${strays.length ? "" : ", nothing was left to do: a config, plugin or formatter that never settles?"}); nothing was checked. Exit code 2.\n`);
    process.exitCode = 2;
  });
  return {
    finish(code) {
      finished = true;
      for (const line of strays) stderr(`migration-lint: ${line}\n`);
      process.exitCode = strays.length ? 2 : code;
      // timers and sockets user code left open must not keep a finished run alive (a CI job waiting for its own
      // timeout): exit once stdout and stderr are flushed. User code still cannot exit in between.
      let pending = flush.length;
      const done = () => {
        if (--pending === 0) exit();
      };
      for (const write of flush) write("", done);
      // a stream that never calls back (a reader that went away) must not keep the run either
      setTimeout(() => exit(), 2000).unref();
    },
  };
}
