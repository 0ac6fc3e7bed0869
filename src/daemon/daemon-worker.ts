/**
 * The daemon's lint worker: it runs the command line's own `main` for each request it serves, with the history
 * in memory (src/cache/memory.ts) in place of the cache file, so its output and exit code are a normal run's. The
 * daemon's thread watches it through the heartbeat (src/cli/resident-worker.ts) and replaces it when it hangs.
 *
 * It serves plain lint runs of its own directory whose configuration is data (JSON, YAML, package.json) without
 * plugins, as built-in rules and formatters lint and print them. Anything else (a config that runs code, plugins,
 * --rulesdir, --fix, --stdin, --replay, files written, --debug, a formatter module) it refuses, and the run lints
 * itself as it would without a daemon: user code is never imported into a process that outlives the run.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { LintHistory } from "../cache/memory.js";
import { describeStray, refuseProcessExit } from "../cli/exit-guard.js";
import { main, OPTIONS } from "../cli/main.js";
import { configMayRunCode, findConfig } from "../config/load.js";
import { setHeartbeat } from "../engine/linter.js";
import { errorMessage } from "../errors.js";
import { formatterNames } from "../formatters/index.js";
import { useRunEnvironment, type DaemonAnswer, type DaemonLintRequest } from "./protocol.js";
import type { ResidentWorkerMessage } from "../cli/resident-worker.js";

/** The options a served run may have: they change what is linted and how it is printed, and write nothing. */
const SERVED = new Set(["format", "quiet", "max-warnings", "color", "no-color", "staged", "base", "config", "rule", "report-unused-disable-directives", "baseline", "no-baseline", "no-error-on-unmatched-pattern", "ignore-pattern", "schema", "migrations", "rule-time-budget", "cache", "no-cache", "cwd", "daemon"]);

const { heartbeat } = workerData as { heartbeat: SharedArrayBuffer };
setHeartbeat(heartbeat);
refuseProcessExit();
const post = (message: ResidentWorkerMessage) => parentPort!.postMessage(message);
/** What was thrown outside the run's own calls while it ran: the run is then not served. */
let strays: string[] | null = null;
const stray = (err: unknown) => (strays ? strays.push(describeStray(err)) : post({ stray: describeStray(err) }));
process.on("uncaughtException", stray);
process.on("unhandledRejection", stray);

const history = new LintHistory();
let queue = Promise.resolve();
parentPort!.on("message", (request: DaemonLintRequest & { id: number }) => {
  queue = queue.then(async () => {
    try {
      post({ id: request.id, ok: true, value: await serve(request) });
    } catch (err) {
      post({ id: request.id, ok: false, error: { kind: "internal", message: errorMessage(err) } });
    }
  });
});

async function serve(request: DaemonLintRequest): Promise<DaemonAnswer> {
  const why = await whyNotServed(request);
  if (why) return { served: false, why };
  const restore = useRunEnvironment(request.env);
  const output: Array<[1 | 2, string]> = [];
  strays = [];
  try {
    const code = await main(request.argv, { stdout: (text) => output.push([1, text]), stderr: (text) => output.push([2, text]), colorDefault: request.colorDefault }, { history });
    if (strays.length) return { served: false, why: `the run threw outside it: ${strays[0]}` };
    return { served: true, code, output };
  } finally {
    strays = null;
    restore();
  }
}

/** Why this run is left to the command line itself, or null when the daemon serves it. */
async function whyNotServed(request: DaemonLintRequest): Promise<string | null> {
  if (request.cwd !== process.cwd()) return `the daemon lints ${process.cwd()}, not ${request.cwd}`;
  let parsed;
  try {
    parsed = parseArgs({ args: request.argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch {
    return "the command line does not parse";
  }
  const { values } = parsed;
  const other = Object.keys(values).find((option) => !SERVED.has(option));
  if (other) return `--${other} runs without the daemon`;
  const format = (values.format ?? []).find((name) => !formatterNames.includes(name));
  if (format !== undefined) return `--format ${format} is not a built-in format`;
  if (request.env.MIGRATION_LINT_SUPERVISE === "1") return "MIGRATION_LINT_SUPERVISE=1";
  const config = { cwd: path.resolve(request.cwd, values.cwd ?? "."), ...(values.config ? { configFile: values.config } : {}) };
  // the question main asks too: a config whose reading runs code, or that lists plugins, is user code
  if (configMayRunCode(config)) return "the configuration runs code";
  const found = await findConfig(config).catch(() => null);
  if (found?.config.plugins?.length) return "the configuration has plugins";
  return null;
}
