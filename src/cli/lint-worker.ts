/** Worker thread entry for the supervised CLI run: lints and posts the run back (see supervise.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { resolveFoundConfig, runLint, type FoundConfig, type LintOptions, type LintRun } from "../api/lint.js";
import { SourceTexts, type SourceTextsTransfer } from "../api/source-texts.js";
import { setHeartbeat, whileLoading } from "../engine/linter.js";
import { findConfig } from "../config/load.js";
import { MigrationLintError } from "../errors.js";
import { describeStray, refuseProcessExit } from "./exit-guard.js";
import type { PrintConfigOptions } from "./print-config.js";

const { options, heartbeat, found, printConfig } = workerData as { options: LintOptions; heartbeat: SharedArrayBuffer; found?: FoundConfig | null; printConfig?: PrintConfigOptions };
setHeartbeat(heartbeat);
// in a worker, process.exit() ends the thread: the run would end with no report (see exit-guard.ts)
refuseProcessExit();
const strays: string[] = [];
process.on("uncaughtException", (err) => strays.push(describeStray(err)));
process.on("unhandledRejection", (err) => strays.push(describeStray(err)));
// signals reach the main thread only: it forwards them, so that replay drops its scratch database here (src/replay/target.ts)
parentPort!.on("message", (message: { signal?: NodeJS.Signals }) => {
  if (message.signal && !process.emit(message.signal as "SIGINT", message.signal)) parentPort!.postMessage({ unhandledSignal: message.signal });
});
parentPort!.unref();
try {
  if (printConfig) {
    // --print-config: the config, its plugins and --rulesdir rules are imported here, where a loop at import is seen
    const { printConfig: print } = await import("./print-config.js");
    const printed = await whileLoading(`the configuration${printConfig.configFile ? ` ${printConfig.configFile}` : ""}`, () => print(printConfig));
    parentPort!.postMessage({ ok: true, printed, strays });
  } else await lint();
} catch (err) {
  const known = err instanceof MigrationLintError;
  parentPort!.postMessage({
    ok: false,
    error: known ? { kind: err.kind, message: err.message, file: err.file, line: err.line } : { kind: "internal", message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined },
    known,
  });
}

async function lint(): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  // the config the main thread read (undefined: read it here)
  // user code, imported where the supervisor sees a loop at import
  const config = found !== undefined ? found : options.config ? { config: options.config, filepath: null } : await whileLoading(`the configuration${options.configFile ? ` ${options.configFile}` : ""}`, () => findConfig({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}) }));
  const imported = [...(config?.config.plugins ?? []).map((p) => `plugin "${p}"`), ...(options.rulesDirs ?? []).map((d) => `--rulesdir ${d}`)];
  const resolvedConfig = await whileLoading(imported.join(", ") || "the configuration", () => resolveFoundConfig(config, { cwd, ...(options.rulesDirs ? { rulesDirs: options.rulesDirs } : {}), ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}) }));
  const run = await runLint({ ...options, ...(resolvedConfig ? { resolvedConfig } : {}) });
  parentPort!.postMessage({ ok: true, results: run.results, projects: run.projects, skipped: run.skipped ?? [], sources: sourcesForTransfer(run), timings: run.timings, strays, engineSeverities: run.config.engineSeverities ?? {}, ruleTypes: Object.fromEntries(run.config.rules.map((r) => [r.id, r.rule.meta.type])) });
}

/** The texts of files with findings (what formatters show), and of every file read anyway; the others by name only (SourceTexts). */
function sourcesForTransfer(run: LintRun): SourceTextsTransfer {
  const withFindings = new Set(run.results.filter((r) => r.messages.length || r.suppressedMessages.length).map((r) => r.filePath));
  const wanted = (file: string) => withFindings.has(file);
  return run.sources instanceof SourceTexts ? run.sources.forTransfer(wanted) : { texts: [...run.sources], unread: [] };
}
