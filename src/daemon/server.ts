/**
 * `migration-lint daemon`: a long-lived process for one working directory that keeps the lint history in memory
 * (src/cache/memory.ts, as the language server does), so that a run there (a pre-commit hook, a watch loop) sends
 * it its command line and prints its answer instead of linting everything again. bin/migration-lint.js asks it
 * first (src/daemon/client.ts) and lints itself when there is no daemon, it does not answer in time, or it does
 * not serve the run: the output and exit code are a normal run's either way.
 *
 * It listens on a Unix socket in a private folder (src/daemon/location.ts), never on a TCP port. The lint runs in
 * a worker watched as the language server's is (src/cli/resident-worker.ts): one that hangs or dies is replaced
 * and the run lints itself. It ends after `--idle-timeout` seconds without a request (default 1800), on SIGTERM,
 * SIGINT or SIGHUP, on `migration-lint daemon stop`, and when its own build changes (dist/code-digest.json, read
 * on each request: a rebuilt or reinstalled migration-lint is never answered for by the old one). It removes its
 * socket (and the private folder, when nothing else is in it) when it ends.
 *
 *   migration-lint daemon [--idle-timeout <seconds>]     run in the foreground (a process manager, `&`)
 *   migration-lint daemon start [--idle-timeout <s>]     start one in the background, return when it listens
 *   migration-lint daemon stop | status
 *
 * A run with `--daemon` starts one itself when none answers (src/daemon/client.ts), with `--warm <argv as JSON>`:
 * the daemon lints that command line once it listens, so that the run after is answered from a filled history.
 */
import { chmodSync, mkdirSync, readFileSync, rmdirSync, unlinkSync } from "node:fs";
import net from "node:net";
import { LintFailure, ResidentWorker, Stuck } from "../cli/resident-worker.js";
import { askDaemon, spawnDaemon } from "./client.js";
import { daemonLocation, isPrivateFolder, type DaemonLocation } from "./location.js";
import { runEnvironment, type DaemonAnswer, type DaemonLintRequest, type DaemonRequest } from "./protocol.js";

const DEFAULT_IDLE_SECONDS = 1800;
const USAGE = "usage: migration-lint daemon [start | stop | status] [--idle-timeout <seconds>]\n";

/** `--warm`'s value: a command line (a JSON array of strings), or null when it is not one. */
function warmArgv(value: string): string[] | null {
  try {
    const argv = JSON.parse(value) as unknown;
    return Array.isArray(argv) && argv.every((a) => typeof a === "string") ? argv : null;
  } catch {
    return null;
  }
}

export async function daemonCommand(args: string[], stderr: (text: string) => void): Promise<number> {
  const action = args[0] && !args[0].startsWith("-") ? args[0] : "run";
  const rest = action === "run" ? args : args.slice(1);
  let idleSeconds = DEFAULT_IDLE_SECONDS;
  let warm: string[] | null = null;
  for (let i = 0; i < rest.length; i++) {
    if (action === "run" && rest[i] === "--warm") {
      warm = warmArgv(rest[++i] ?? "");
      if (!warm) return stderr(`migration-lint daemon: --warm takes a command line as a JSON array of strings\n${USAGE}`), 2;
      continue;
    }
    const value = rest[i] === "--idle-timeout" ? rest[++i] : rest[i]!.startsWith("--idle-timeout=") ? rest[i]!.slice("--idle-timeout=".length) : undefined;
    if (value === undefined || !(Number(value) > 0)) return stderr(`migration-lint daemon: ${value === undefined ? `unknown argument ${rest[i]}` : `--idle-timeout takes a positive number of seconds, got "${value}"`}\n${USAGE}`), 2;
    idleSeconds = Number(value);
  }
  const cwd = process.cwd();
  const location = daemonLocation(cwd);
  if ("problem" in location) return stderr(`migration-lint daemon: ${location.problem}\n`), 2;
  if (action === "stop" || action === "status") {
    const answer = await askDaemon(location, { kind: action === "stop" ? "stop" : "ping" }, 2000);
    stderr(answer ? (action === "stop" ? `migration-lint daemon: stopped the daemon of ${cwd}\n` : `migration-lint daemon: running for ${cwd} (${location.socket})\n`) : `migration-lint daemon: none running for ${cwd}\n`);
    return answer || action === "stop" ? 0 : 1;
  }
  if (action === "start") return startInBackground(location, idleSeconds, stderr);
  if (action !== "run") return stderr(`migration-lint daemon: unknown action "${action}"\n${USAGE}`), 2;
  return serveForever(location, idleSeconds * 1000, stderr, warm);
}

/** Starts `migration-lint daemon` detached from this process and waits until it answers (at most 10 s). */
async function startInBackground(location: DaemonLocation, idleSeconds: number, stderr: (text: string) => void): Promise<number> {
  if (await askDaemon(location, { kind: "ping" }, 2000)) return stderr(`migration-lint daemon: already running (${location.socket})\n`), 0;
  const child = spawnDaemon(["--idle-timeout", String(idleSeconds)], process.execArgv);
  for (let waited = 0; waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (await askDaemon(location, { kind: "ping" }, 1000)) return stderr(`migration-lint daemon: started for ${process.cwd()} (pid ${child.pid}, ${location.socket})\n`), 0;
  }
  return stderr("migration-lint daemon: started, but it did not answer within 10 s\n"), 2;
}

async function serveForever(location: DaemonLocation, idleMs: number, stderr: (text: string) => void, warm: string[] | null): Promise<number> {
  const { dir, socket } = location;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!isPrivateFolder(dir)) return stderr(`migration-lint daemon: ${dir} is not a folder only you can enter (mode 0700, yours); refusing to listen there\n`), 2;
  if (await askDaemon(location, { kind: "ping" }, 2000)) return stderr(`migration-lint daemon: already running (${socket})\n`), 2;
  // a socket left by a daemon that was killed: nobody answers on it
  try {
    unlinkSync(socket);
  } catch {
    // none
  }
  const digestFile = new URL("../code-digest.json", import.meta.url);
  const digest = readOrNull(digestFile);
  const worker = new ResidentWorker<DaemonLintRequest & { id: number }>(new URL("./daemon-worker.js", import.meta.url), (line) => stderr(`migration-lint daemon: ${line}\n`));
  let idle: NodeJS.Timeout;
  let queue = Promise.resolve();
  let ending = false;
  const server = net.createServer((connection) => {
    let received = "";
    connection.setEncoding("utf8");
    connection.on("error", () => undefined);
    connection.on("data", (chunk: string) => {
      received += chunk;
      const newline = received.indexOf("\n");
      if (newline < 0) return;
      connection.removeAllListeners("data");
      let request: DaemonRequest;
      try {
        request = JSON.parse(received.slice(0, newline)) as DaemonRequest;
      } catch {
        return void connection.end(`${JSON.stringify({ served: false, why: "not a request" })}\n`);
      }
      rearm();
      const reply = (answer: DaemonAnswer | { ok: true }) => connection.end(`${JSON.stringify(answer)}\n`);
      if (request.kind === "ping") return reply({ ok: true });
      if (request.kind === "stop") return void (reply({ ok: true }), end("stopped"));
      queue = queue.then(async () => {
        // its own code changed (rebuilt, reinstalled): the old one must not answer for the new one
        if (readOrNull(digestFile) !== digest) {
          reply({ served: false, why: "migration-lint changed since the daemon started; it ends" });
          return end("its build changed");
        }
        reply(await lint(request));
        rearm();
      });
    });
  });

  /** The worker's answer, and one line about it on the daemon's stderr. */
  async function lint(request: DaemonLintRequest): Promise<DaemonAnswer> {
    const started = performance.now();
    let answer: DaemonAnswer;
    try {
      answer = (await worker.request(request)) as DaemonAnswer;
    } catch (err) {
      // a hung rule, a dead worker: the run lints itself, supervised as a normal run is, and says what it says
      answer = { served: false, why: err instanceof Stuck ? `${err.rule} did not finish on ${err.migration}` : err instanceof LintFailure ? err.error.message : String(err) };
    }
    const args = JSON.stringify(request.argv);
    stderr(answer.served ? `migration-lint daemon: served ${args}: exit ${answer.code} in ${Math.round(performance.now() - started)} ms\n` : `migration-lint daemon: not served ${args}: ${answer.why}\n`);
    return answer;
  }

  function rearm(): void {
    clearTimeout(idle);
    idle = setTimeout(() => end(`idle for ${idleMs / 1000} s`), idleMs);
  }

  function end(why: string): void {
    if (ending) return;
    ending = true;
    stderr(`migration-lint daemon: ending (${why})\n`);
    clearTimeout(idle);
    server.close();
    worker.stop();
    try {
      unlinkSync(socket);
    } catch {
      // gone already
    }
    try {
      rmdirSync(dir); // only when empty: other directories' daemons may share it
    } catch {
      // not empty
    }
    process.exitCode = 0;
    // what is still open (a connection being answered) does not keep the process
    setTimeout(() => process.exit(0), 200).unref();
  }

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => end(signal));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () => resolve());
  });
  chmodSync(socket, 0o600);
  rearm();
  stderr(`migration-lint daemon: listening for ${process.cwd()} on ${socket} (ends after ${idleMs / 1000} s idle)\n`);
  // started by a run (--daemon): its command line fills the history, in the queue before any request
  if (warm) {
    const argv = warm;
    queue = queue.then(async () => void (await lint({ kind: "lint", argv, cwd: process.cwd(), env: runEnvironment(process.env), colorDefault: false })));
  }
  await new Promise<void>((resolve) => server.once("close", () => resolve()));
  return 0;
}

function readOrNull(file: URL): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
