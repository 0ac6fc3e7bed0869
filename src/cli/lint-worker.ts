/** Worker thread entry for the supervised CLI run: lints and posts the run back (see supervise.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { resolveFoundConfig, runLint, type FoundConfig, type LintOptions } from "../api/lint.js";
import { setHeartbeat } from "../engine/linter.js";
import { MigrationLintError } from "../errors.js";
import { describeStray, refuseProcessExit } from "./exit-guard.js";

const { options, heartbeat, found } = workerData as { options: LintOptions; heartbeat: SharedArrayBuffer; found?: FoundConfig | null };
setHeartbeat(heartbeat);
// in a worker, process.exit() ends the thread: the run would end with no report (see exit-guard.ts)
refuseProcessExit();
const strays: string[] = [];
process.on("uncaughtException", (err) => strays.push(describeStray(err)));
process.on("unhandledRejection", (err) => strays.push(describeStray(err)));
try {
  const cwd = options.cwd ?? process.cwd();
  // the config the main thread read (undefined: read it here)
  const resolvedConfig = found === undefined ? undefined : await resolveFoundConfig(found, { cwd, ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}) });
  const run = await runLint({ ...options, ...(resolvedConfig ? { resolvedConfig } : {}) });
  parentPort!.postMessage({ ok: true, results: run.results, projects: run.projects, sources: [...run.sources], strays });
} catch (err) {
  const known = err instanceof MigrationLintError;
  parentPort!.postMessage({
    ok: false,
    error: known ? { kind: err.kind, message: err.message, file: err.file, line: err.line } : { kind: "internal", message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined },
    known,
  });
}
