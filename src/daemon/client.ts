/**
 * A run's side of the daemon (src/daemon/server.ts): bin/migration-lint.js asks here first. When a daemon listens
 * for this directory, in a private folder, it gets the command line and prints the answer exactly as the run
 * would have; `null` means "lint yourself" (no daemon, a stale socket, no answer in time, a run it does not
 * serve), and the run goes on as if there were no daemon. MIGRATION_LINT_NO_DAEMON=1 skips it. Loaded before
 * anything else of the linter: keep it small.
 */
import { existsSync } from "node:fs";
import net from "node:net";
import { daemonLocation, isPrivateFolder, type DaemonLocation } from "./location.js";
import { runEnvironment, type DaemonAnswer, type DaemonRequest } from "./protocol.js";

/** How long a run waits for the daemon's answer before it lints itself (MIGRATION_LINT_DAEMON_TIMEOUT_MS). */
const DEFAULT_TIMEOUT_MS = 5000;

/** The daemon's answer to this run (its output in order and exit code), or null: lint here. */
export async function viaDaemon(argv: string[], colorDefault: boolean): Promise<{ code: number; output: Array<[1 | 2, string]> } | null> {
  if (process.env.MIGRATION_LINT_NO_DAEMON === "1") return null;
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    return null;
  }
  const location = daemonLocation(cwd);
  if ("problem" in location || !existsSync(location.socket)) return null;
  const timeout = Number(process.env.MIGRATION_LINT_DAEMON_TIMEOUT_MS) > 0 ? Number(process.env.MIGRATION_LINT_DAEMON_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  const answer = (await askDaemon(location, { kind: "lint", argv, cwd, env: runEnvironment(process.env), colorDefault }, timeout)) as DaemonAnswer | null;
  return answer?.served ? answer : null;
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
