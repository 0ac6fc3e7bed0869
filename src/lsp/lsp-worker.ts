/**
 * The language server's lint worker: every piece of user code (the config, plugins, their rules) runs on this
 * thread, never on the server's, so one that loops, throws or calls process.exit cannot hang or end the server.
 * The server watches the heartbeat (src/cli/supervise.ts: watchHeartbeat) and replaces a stuck worker.
 * The history stays here between requests (src/cache/memory.ts): a lint after an edit lints from the edited
 * migration on.
 */
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { resolveFoundConfig, runLint } from "../api/lint.js";
import { findConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import { setHeartbeat, whileLoading } from "../engine/linter.js";
import { LintHistory } from "../cache/memory.js";
import { migrationChanges, type MigrationChanges } from "../git/changes.js";
import { MigrationLintError, errorMessage } from "../errors.js";
import { describeStray, refuseProcessExit } from "../cli/exit-guard.js";
import { describeStatementAt } from "./hover.js";
import type { HoverAnswer, HoverRequest, LintAnswer, LintRequest, WorkerMessage, WorkerRequest } from "./protocol.js";
import { readFileSync } from "node:fs";

const { heartbeat } = workerData as { heartbeat: SharedArrayBuffer };
setHeartbeat(heartbeat);
refuseProcessExit();
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
// what user code throws from its timers and promises is reported, and the worker goes on
process.on("uncaughtException", (err) => post({ stray: describeStray(err) }));
process.on("unhandledRejection", (err) => post({ stray: describeStray(err) }));

const history = new LintHistory();
/** Each folder's configuration, read and resolved once: the server starts a new worker when a config file changes. */
const configs = new Map<string, Promise<ResolvedConfig>>();
/** Project roots each folder's last lint found, for hovers. */
const rootsOf = new Map<string, string[]>();
/** What changed in each migrations folder since the git base, read at most every 30 s. */
const bases = new Map<string, { at: number; changes: MigrationChanges | null }>();

// one request at a time, in order: a lint and a hover share the history
let queue = Promise.resolve();
parentPort!.on("message", (request: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const value = request.kind === "lint" ? await lint(request) : await hover(request);
      post({ id: request.id, ok: true, value });
    } catch (err) {
      const known = err instanceof MigrationLintError;
      post({ id: request.id, ok: false, error: known ? { kind: err.kind, message: err.message, ...(err.file ? { file: err.file } : {}), ...(err.line ? { line: err.line } : {}) } : { kind: "internal", message: errorMessage(err) } });
    }
  });
});

function configOf(folder: string): Promise<ResolvedConfig> {
  let config = configs.get(folder);
  if (!config) {
    // user code, imported where the server sees a loop at import
    config = (async () => {
      const found = await whileLoading("the configuration", () => findConfig({ cwd: folder }));
      const imported = (found?.config.plugins ?? []).map((p) => `plugin "${p}"`);
      return whileLoading(imported.join(", ") || "the configuration", () => resolveFoundConfig(found, { cwd: folder }));
    })();
    configs.set(folder, config);
    // a config that failed is read again next time (the user is fixing it)
    config.catch(() => configs.delete(folder));
  }
  return config;
}

async function lint(request: LintRequest): Promise<LintAnswer> {
  const started = performance.now();
  const unsaved = new Map(request.unsaved);
  history.focus = new Set([...unsaved.keys()].filter((file) => /\.sql$/.test(file)).map((file) => path.basename(path.dirname(file))));
  const run = await runLint({
    cwd: request.folder,
    resolvedConfig: await configOf(request.folder),
    unsaved,
    history,
    errorOnUnmatchedPattern: false,
    ruleTimeBudgetMs: request.ruleTimeBudgetMs,
    ...(request.disabledRules.length ? { disabledRules: request.disabledRules } : {}),
  });
  rootsOf.set(request.folder, run.projects.map((p) => p.root));
  const statements: LintAnswer["statements"] = {};
  for (const project of run.projects) {
    const known = history.remembered(project.root);
    if (!known) continue;
    for (const [file, text] of unsaved) {
      if (path.dirname(path.dirname(file)) !== project.migrationsDir || !/^(migration|down)\.sql$/.test(path.basename(file))) continue;
      const parsed = await known.dialect.parseFile(file, text.replace(/^\uFEFF/, ""));
      statements[file] = parsed.statements.map((s) => [s.range.start, s.range.end]);
    }
  }
  return {
    results: run.results.map((r) => ({ filePath: r.filePath, messages: r.messages })),
    projects: run.projects.map((p) => ({
      root: p.root,
      migrationsDir: p.migrationsDir,
      schemaFiles: p.schemaFiles,
      baselinePath: p.baselinePath,
      baselineText: p.baseline?.text ?? readOrNull(p.baselinePath),
      dialect: p.dialect,
      git: gitChanges(p.migrationsDir, request.base),
      notes: p.notes,
    })),
    skipped: run.skipped ?? [],
    statements,
    ms: performance.now() - started,
  };
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** What changed in the migrations folder since the git base (the setting, else origin/HEAD); null when git cannot say. */
function gitChanges(migrationsDir: string, base: string | null): MigrationChanges | null {
  const key = `${migrationsDir}\0${base ?? ""}`;
  const known = bases.get(key);
  if (known && Date.now() - known.at < 30_000) return known.changes;
  const changes = migrationChanges({ migrationsDir, base: base ?? "origin/HEAD" });
  const answer = "error" in changes ? null : changes;
  bases.set(key, { at: Date.now(), changes: answer });
  return answer;
}

async function hover(request: HoverRequest): Promise<HoverAnswer> {
  return describeStatementAt(history, rootsOf.get(request.folder) ?? [], request.file, request.text, request.offset, new Map(request.unsaved));
}
