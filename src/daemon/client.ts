/**
 * A run's side of the daemon (src/daemon/server.ts): bin/migration-lint.js asks here first. When a daemon listens
 * for this directory, in a private folder, it gets the command line and prints the answer exactly as the run
 * would have; `null` means "lint yourself" (no daemon, a stale socket, no answer in time, a run it does not
 * serve), and the run goes on as if there were no daemon. MIGRATION_LINT_NO_DAEMON=1 skips it. Loaded before
 * anything else of the linter: keep it small.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { daemonLocation, isPrivateFolder, type DaemonLocation } from "./location.js";
import { runEnvironment, type DaemonAnswer, type DaemonRequest } from "./protocol.js";

/** How long a run waits for the daemon's answer before it lints itself (MIGRATION_LINT_DAEMON_TIMEOUT_MS). */
const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The daemon's answer to this run (its output in order and exit code), or null: lint here. With `--daemon` and no
 * daemon answering, one is started in the background first (`startFor`), for the runs after this one.
 */
export async function viaDaemon(argv: string[], colorDefault: boolean): Promise<{ code: number; output: Array<[1 | 2, string]> } | null> {
  if (process.env.MIGRATION_LINT_NO_DAEMON === "1") return null;
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    return null;
  }
  const location = daemonLocation(cwd);
  if ("problem" in location) return null;
  // (the daemon listens on a Unix socket: none is started on Windows, where that would be a named pipe)
  const start = wantsDaemon(argv) && !inCi(process.env) && process.platform !== "win32";
  if (!existsSync(location.socket)) return start && startFor(argv), null;
  const timeout = Number(process.env.MIGRATION_LINT_DAEMON_TIMEOUT_MS) > 0 ? Number(process.env.MIGRATION_LINT_DAEMON_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  const answer = (await askDaemon(location, { kind: "lint", argv, cwd, env: runEnvironment(process.env), colorDefault }, timeout)) as DaemonAnswer | null;
  // nobody answered on the socket (one left by a daemon that was killed): a new daemon takes it over
  if (answer === null && start) startFor(argv);
  return answer?.served ? answer : null;
}

/** `--daemon` among the options (before a `--`). */
export function wantsDaemon(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--daemon");
}

/** A CI job runs on a fresh machine: a daemon would only be left behind there. */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  return !!env.CI && env.CI !== "0" && env.CI.toLowerCase() !== "false";
}

/**
 * Starts `migration-lint daemon` for this directory, detached, its history filled by a lint of `argv` (`--warm`),
 * and returns at once: this run lints itself. It ends after 30 minutes without a request, as `daemon start`'s does.
 * A daemon already starting (two runs at once) answers the second one's ping, which then ends.
 */
function startFor(argv: string[]): void {
  try {
    spawnDaemon(["--warm", JSON.stringify(argv)]).on("error", () => undefined);
  } catch {
    // no daemon, then: this run and the next lint themselves
  }
}

/** `migration-lint daemon <args>` for this directory, detached from this process (no stdio, not waited for). */
export function spawnDaemon(args: string[], execArgv: readonly string[] = []): ChildProcess {
  const bin = fileURLToPath(new URL("../../bin/migration-lint.js", import.meta.url));
  const child = spawn(process.execPath, [...execArgv, bin, "daemon", ...args], { detached: true, stdio: "ignore" });
  child.unref();
  return child;
}

/** Sends one request and reads one answer; null when nobody answers (in time) or the folder is not private. */
export function askDaemon(location: DaemonLocation, request: DaemonRequest, timeoutMs: number): Promise<unknown> {
  if (!isPrivateFolder(location.dir)) return Promise.resolve(null);
  return new Promise((resolve) => {
    let received = "";
    const socket = net.createConnection(location.socket);
    const done = (value: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("error", () => done(null));
    socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on("data", (chunk: string) => {
      received += chunk;
      const newline = received.indexOf("\n");
      if (newline < 0) return;
      try {
        done(JSON.parse(received.slice(0, newline)));
      } catch {
        done(null);
      }
    });
    socket.on("end", () => done(null));
  });
}
