/**
 * The CLI lints in a worker thread and watches it from the main thread. A
 * rule stuck in an endless loop never returns control, so nothing on its own
 * thread can stop it; from here the stuck rule is visible through a shared
 * heartbeat (src/engine/linter.ts), the worker is terminated, and the run is
 * repeated without that rule, with an internal-error finding that names it.
 * Nothing else is lost.
 */
import { Worker } from "node:worker_threads";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { FoundConfig, LintOptions, LintRun, ProjectReport } from "../api/lint.js";
import { applyEngineSeverities } from "../engine/engine-findings.js";
import { fingerprint, LOADING_LABEL } from "../engine/linter.js";
import type { LintMessage, LintResult } from "../engine/results.js";
import { MigrationLintError } from "../errors.js";
import { SourceTexts, type SourceTextsTransfer } from "../api/source-texts.js";
import { decodeText } from "../model/load.js";
import type { PrintConfigOptions, printConfig } from "./print-config.js";

/** What --print-config prints, and what user code threw meanwhile outside its call stack (a timer's process.exit). */
export type PrintedConfig = Awaited<ReturnType<typeof printConfig>> & { strays?: string[] };

export type SupervisedRun = Pick<LintRun, "results" | "projects" | "sources" | "timings" | "skipped"> & {
  /** What user code threw outside the run's call stack in the worker (timers, promises), described (exit-guard.ts). */
  strays?: string[];
  /** The `rules` severities of engine ids the worker's config set, for the findings the supervisor adds itself. */
  engineSeverities?: Record<string, 0 | 1 | 2>;
  /** Each configured rule's meta.type, plugin rules included (`--fix-type`). */
  ruleTypes?: Record<string, string>;
};

const MAX_RESTARTS = 5;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * `found` is the configuration the main thread already read: the worker resolves it (imports its plugins)
 * instead of importing the config file a second time. One that cannot be cloned to the worker (a function
 * among rule options) is read again there.
 */
export async function runLintSupervised(options: LintOptions, stallMs: number, found?: FoundConfig | null): Promise<SupervisedRun> {
  const config = found === undefined || !cloneable(found) ? undefined : found;
  const disabled: string[] = [...(options.disabledRules ?? [])];
  const hung: Array<{ rule: string; migration: string }> = [];
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptRun({ ...options, disabledRules: disabled }, stallMs, config);
    if (outcome.kind === "done") {
      addHungFindings(outcome.run, hung, stallMs);
      return outcome.run;
    }
    if (outcome.kind !== "stuck") throw new MigrationLintError("internal", "The lint worker answered with a printed configuration.");
    hung.push(outcome.stuck);
    disabled.push(outcome.stuck.rule);
    if (attempt >= MAX_RESTARTS) throw new MigrationLintError("internal", `Rules kept hanging (${hung.map((h) => h.rule).join(", ")}); giving up.`);
  }
}

/**
 * `--print-config` in the same supervised worker: it imports the config file, its plugins and --rulesdir rules,
 * so one that loops at import is stopped after `stallMs` (exit 2 naming it), as a lint run's would be.
 */
export const printConfigSupervisedWith = (stallMs: number) => async (options: PrintConfigOptions): Promise<PrintedConfig> => {
  const outcome = await attemptRun({ cwd: options.cwd }, stallMs, undefined, options);
  if (outcome.kind !== "printed") throw new MigrationLintError("internal", "The --print-config worker answered with a lint run.");
  return outcome.printed;
};

/** The shared memory a worker's heartbeat lives in (src/engine/linter.ts: setHeartbeat). */
export const newHeartbeat = (): SharedArrayBuffer => new SharedArrayBuffer(16 + 1024);

/**
 * Watches a worker's heartbeat: when a visitor (or user code being imported) has been running for `stallMs`
 * without a beat, calls `onStall` once with what it is (`rule` is LOADING_LABEL while loading). Returns the stop.
 */
export function watchHeartbeat(buffer: SharedArrayBuffer, stallMs: number, onStall: (stuck: { rule: string; migration: string }) => void): () => void {
  const slots = new Int32Array(buffer, 0, 4);
  let lastCount = -1;
  let since = Date.now();
  const watch = setInterval(() => {
    const count = Atomics.load(slots, 0);
    if (count !== lastCount || Atomics.load(slots, 1) === 0) {
      lastCount = count;
      since = Date.now();
      return;
    }
    if (Date.now() - since < stallMs) return;
    const length = Atomics.load(slots, 2);
    const [rule = "unknown", migration = "unknown"] = new TextDecoder().decode(new Uint8Array(buffer, 16, length).slice()).split("\0");
    clearInterval(watch);
    onStall({ rule, migration });
  }, Math.min(200, Math.max(20, stallMs / 5)));
  watch.unref();
  return () => clearInterval(watch);
}

/** The error of user code that did not finish importing (a config or plugin looping at import). */
export const stuckLoading = (what: string, stallMs: number): MigrationLintError =>
  new MigrationLintError("config", `Loading ${what} did not finish within ${stallMs} ms (an endless loop at import?) and was stopped; nothing was checked. --rule-time-budget sets the limit.`);

type Outcome = { kind: "done"; run: SupervisedRun } | { kind: "stuck"; stuck: { rule: string; migration: string } } | { kind: "printed"; printed: PrintedConfig };

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function attemptRun(options: LintOptions, stallMs: number, found: FoundConfig | null | undefined, printConfig?: PrintConfigOptions): Promise<Outcome> {
  const buffer = newHeartbeat();
  const worker = new Worker(new URL("./lint-worker.js", import.meta.url), { workerData: { options, heartbeat: buffer, found, printConfig } });
  return new Promise<Outcome>((resolve, reject) => {
    const stopWatching = watchHeartbeat(buffer, stallMs, ({ rule, migration }) => {
      finish();
      void worker.terminate();
      // stuck importing user code: there is no rule to run without, and nothing can be checked
      if (rule === LOADING_LABEL) reject(stuckLoading(migration, stallMs));
      else resolve({ kind: "stuck", stuck: { rule, migration } });
    });
    // signals reach only this thread: the worker gets them as messages (replay drops its scratch database
    // there); one it has no handler for, or a second one, does what it would have done without us
    const forwarded = new Set<NodeJS.Signals>();
    const raise = (signal: NodeJS.Signals) => {
      finish();
      process.kill(process.pid, signal);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (forwarded.has(signal)) return raise(signal);
      forwarded.add(signal);
      worker.postMessage({ signal });
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
    const finish = () => {
      stopWatching();
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    };
    worker.on("message", (message: { unhandledSignal?: NodeJS.Signals; ok: boolean; printed?: PrintedConfig; results?: LintResult[]; projects?: ProjectReport[]; skipped?: LintRun["skipped"]; sources?: SourceTextsTransfer; timings?: LintRun["timings"]; strays?: string[]; engineSeverities?: Record<string, 0 | 1 | 2>; ruleTypes?: Record<string, string>; error?: { kind: MigrationLintError["kind"]; message: string; file?: string; line?: number; stack?: string }; known?: boolean }) => {
      if (message.unhandledSignal) return raise(message.unhandledSignal);
      finish();
      void worker.terminate();
      if (message.ok && message.printed) {
        resolve({ kind: "printed", printed: { ...message.printed, strays: message.strays ?? [] } });
      } else if (message.ok) {
        resolve({ kind: "done", run: { results: message.results!, projects: message.projects!, skipped: message.skipped ?? [], sources: SourceTexts.received(message.sources!, readMigrationText), timings: message.timings ?? {}, strays: message.strays ?? [], engineSeverities: message.engineSeverities ?? {}, ruleTypes: message.ruleTypes ?? {} } });
      } else if (message.known) {
        const e = message.error!;
        reject(new MigrationLintError(e.kind, e.message, { ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}) }));
      } else {
        const error = new Error(message.error!.message);
        if (message.error!.stack) error.stack = message.error!.stack;
        reject(error);
      }
    });
    worker.once("error", (err) => {
      finish();
      reject(err);
    });
    // a worker that ends without a word (it cannot exit through process.exit, see exit-guard.ts) must not leave
    // this promise pending: the run would end with no report and Node's exit code 13
    worker.once("exit", (code) => {
      finish();
      reject(new MigrationLintError("internal", `The lint worker ended (exit code ${code}) before it reported; nothing was checked.`));
    });
  });
}

/** The internal-error finding of a rule stopped for hanging, at the top of the migration it hung on. */
export function hungFinding(rule: string, migration: string, stallMs: number): LintMessage {
  return {
    ruleId: "internal-error",
    severity: 2,
    fatal: true,
    message: `Rule "${rule}" did not finish within ${stallMs} ms on ${migration} (an endless loop?) and was stopped; the run was repeated without it, so every other rule's findings are here.`,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    fingerprint: fingerprint([migration, "internal-error", rule, "hung"]),
    migration,
  };
}

/** One internal-error finding per hung rule, on the migration it hung on. */
function addHungFindings(run: SupervisedRun, hung: Array<{ rule: string; migration: string }>, stallMs: number): void {
  for (const { rule, migration } of hung) {
    const result = run.results.find((r) => path.basename(path.dirname(r.filePath)) === migration) ?? run.results[0];
    if (!result) continue;
    result.messages.unshift(hungFinding(rule, migration, stallMs));
    result.errorCount++;
    result.fatalErrorCount++;
  }
  // added after the worker applied the config's severities: `"internal-error": "warn"` must hold for these too
  const internal = run.engineSeverities?.["internal-error"];
  if (hung.length && internal) applyEngineSeverities(run.results, { "internal-error": internal });
}

/** A migration.sql the lint worker did not read (the cache vouched for it), decoded as the lint decodes it; undefined when it is gone. */
function readMigrationText(file: string): string | undefined {
  try {
    return decodeText(readFileSync(file));
  } catch {
    return undefined;
  }
}
