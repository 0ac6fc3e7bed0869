/**
 * `migration-lint lsp --stdio`: the language server. It lints each workspace folder as the CLI lints its working
 * directory (the same config discovery, cosmiconfig, monorepos: src/api/lint.ts), with the unsaved text of the open
 * documents, again after each edit (debounced), and publishes the findings of migration.sql, down.sql, the schema
 * and the baseline. Code actions: src/lsp/actions.ts; hover: src/lsp/hover.ts.
 *
 * A fix is proven before the client gets its edit, by the proof `--fix` runs (src/fix: proveMigrationEdit, PGlite
 * replaying the history before and after), on a third thread (src/lsp/proof-worker.ts) so diagnostics keep flowing:
 * a client that resolves code actions gets fix actions without an edit and the edit on codeAction/resolve, or why it
 * was refused; one that cannot resolve gets only fixes proven before the answer (cached per document version).
 * Fixes, suggestions and "disable" are offered only for a migration applied nowhere (src/fix/safety.ts refusalOf,
 * as --fix): not at the git base, and absent from the `_prisma_migrations` of `databaseUrl` where one is set.
 *
 * User code never runs on this thread: the lint worker (src/lsp/lsp-worker.ts) imports the config and plugins and
 * runs the rules, and keeps the history in memory between lints. A rule stuck in a loop is seen through the
 * heartbeat and the lint runs again without it (an internal-error finding names it, as in the CLI); a config that
 * loops at import, a worker that dies or never answers is replaced and said in the client's log. Nothing but the
 * protocol is written to stdout: bin/migration-lint.js sends every other write to stderr.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Writable, type Readable } from "node:stream";
import { createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type CodeAction, type Connection, type Diagnostic, type InitializeParams } from "vscode-languageserver/node";
import { applyFixesToSource } from "../engine/fixer.js";
import type { Fix } from "../engine/results.js";
import { errorMessage } from "../errors.js";
import type { Proof } from "../fix/prove.js";
import { appliedMigrations, refusalOf, type AppliedInDatabase } from "../fix/safety.js";
import { redact, secretsOf } from "../redact.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { hungFinding, stuckLoading } from "../cli/supervise.js";
import { LintFailure, ResidentWorker, Stuck } from "../cli/resident-worker.js";
import { LOADING_LABEL } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import { CONFIG_FILES } from "../config/load.js";
import { packageVersion } from "../version.js";
import { bomOf, codeActionsFor, fixActionData, fixAllAction, fixEdit, fixesFor, FIX_ALL_KIND, SHOW_DOCUMENTATION, type ActionContext, type ClientAbilities } from "./actions.js";
import type { HoverAnswer, LintAnswer, LintedProject, LintRequest, ProofRequest, WorkerError, WorkerRequest } from "./protocol.js";

export interface ServerSettings {
  /** Lint at all (default true). */
  enable: boolean;
  /** Milliseconds after the last edit before linting again (default 250). */
  debounceMs: number;
  /** Time a rule may take, as --rule-time-budget (default 10 000). */
  ruleTimeBudgetMs: number;
  /** Git ref whose migrations count as applied (default: origin/HEAD). */
  base: string | null;
  /** A database whose `_prisma_migrations` rows count as applied too (default: MIGRATION_LINT_DATABASE_URL, else none). */
  databaseUrl: string | null;
}

const DEFAULTS: ServerSettings = { enable: true, debounceMs: 250, ruleTimeBudgetMs: 10_000, base: null, databaseUrl: null };
/** Reads the database's `_prisma_migrations` again (on demand; the session reads it once at start). */
export const READ_APPLIED = "migration-lint.readAppliedMigrations";
/** How long a code action waits for the database's answer before it counts as not read (no edit then). */
const DATABASE_WAIT_MS = 3_000;
/** How long a proof may take (PGlite replaying a long history twice) before the proof worker is replaced. */
const PROOF_DEADLINE_MS = 600_000;
const SOURCE = "migration-lint";
/** Files whose findings are published; other files a finding may point at (migration_lock.toml) are too. */
const LINTED = /(^|[\\/])(migration\.sql|down\.sql)$|\.prisma$/;

/** `migration-lint lsp --stdio`: the protocol on stdin and on `writeStdout` (the real stdout; everything else writes to stderr). */
export function serve(args: string[], writeStdout: (chunk: Uint8Array | string, done: (err?: Error | null) => void) => void): void {
  if (!args.includes("--stdio")) {
    process.stderr.write("migration-lint lsp: only --stdio is supported: migration-lint lsp --stdio\n");
    process.exitCode = 2;
    return;
  }
  const output = new Writable({ write: (chunk: Uint8Array, _encoding, done) => writeStdout(chunk, done) });
  startServer(process.stdin, output);
}

export function startServer(input: Readable, output: Writable): Connection {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULTS;
  let folders: string[] = [];
  let client: ClientAbilities = { documentChanges: false, createFiles: false };
  /** The client resolves a code action's edit (codeAction/resolve), and shows a `disabled` one with its reason. */
  let resolvesEdits = false;
  let showsDisabled = false;
  let canShowDocument = false;
  const worker = new ResidentWorker<WorkerRequest>(new URL("./lsp-worker.js", import.meta.url), (line) => connection.console.warn(`migration-lint: ${line}`));
  // no user code runs there: it never beats the heartbeat, so only the deadline watches it
  const prover = new ResidentWorker<ProofRequest>(new URL("./proof-worker.js", import.meta.url), (line) => connection.console.warn(`migration-lint: proof: ${line}`));
  /** Proofs by document version, fix and the versions of the project's other open migrations. */
  const proofs = new Map<string, Promise<Proof>>();
  /** The session's read of the database's `_prisma_migrations`, and of which URL. */
  let applied: { url: string; read: Promise<AppliedInDatabase | { error: string }> } | null = null;
  const folderState = new Map<string, FolderState>();

  connection.onInitialize((params: InitializeParams) => {
    const workspace = params.capabilities.workspace;
    client = { documentChanges: !!workspace?.workspaceEdit?.documentChanges, createFiles: !!workspace?.workspaceEdit?.resourceOperations?.includes("create") };
    canShowDocument = !!params.capabilities.window?.showDocument?.support;
    const codeAction = params.capabilities.textDocument?.codeAction;
    resolvesEdits = !!codeAction?.dataSupport && !!codeAction.resolveSupport?.properties.includes("edit");
    showsDisabled = !!codeAction?.disabledSupport;
    settings = readSettings(params.initializationOptions);
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = uris.filter((uri) => uri.startsWith("file:")).map((uri) => fileURLToPath(uri));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ["quickfix", FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        executeCommandProvider: { commands: [SHOW_DOCUMENTATION, READ_APPLIED] },
      },
      serverInfo: { name: "migration-lint", version: packageVersion() ?? "unknown" },
    };
  });

  connection.onInitialized(() => {
    for (const folder of folders) schedule(folder, 0);
    void readApplied();
  });

  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as { migrationLint?: unknown } | null)?.migrationLint;
    if (section === undefined) return;
    settings = readSettings(section);
    if (applied && applied.url !== databaseUrl()) void readApplied();
    for (const folder of knownFolders()) schedule(folder, 0);
  });

  connection.onDidChangeWatchedFiles((change) => {
    // a config file (or a plugin it imports) cannot be imported again in the same worker: start a fresh one
    if (change.changes.some((c) => isConfigFile(fileURLToPath(c.uri)))) {
      worker.restart();
      for (const state of folderState.values()) [state.disabledRules, state.hung, state.stopped] = [[], [], null];
    }
    for (const folder of knownFolders()) schedule(folder, 0);
  });

  documents.onDidChangeContent((event) => {
    const folder = folderOf(event.document.uri);
    if (folder) schedule(folder, settings.debounceMs);
  });
  documents.onDidClose((event) => {
    const folder = folderOf(event.document.uri);
    if (folder) schedule(folder, settings.debounceMs);
  });

  connection.onCodeAction(async (params) => {
    const database = await appliedInDatabase();
    const document = documents.get(params.textDocument.uri);
    const prepared = document && actionsOf(document, database);
    if (!prepared) return [];
    const { messages, context } = prepared;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (!only || only.some((kind) => "quickfix".startsWith(kind) || kind.startsWith("quickfix"))) {
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== SOURCE) continue;
        const fingerprint = (diagnostic.data as { fingerprint?: string } | undefined)?.fingerprint;
        const message = messages.find((m) => m.fingerprint === fingerprint && m.ruleId === diagnostic.code);
        if (message) actions.push(...codeActionsFor(message, diagnostic, context));
      }
    }
    if (only?.some((kind) => FIX_ALL_KIND.startsWith(kind))) {
      const all = fixAllAction(messages, context);
      if (all) actions.push(all);
    }
    return settleFixes(actions, prepared);
  });

  // the edit of a fix action, once the fix is proven; otherwise the action, disabled with why, and a message saying it
  connection.onCodeActionResolve(async (action) => {
    const data = fixActionData(action.data);
    if (!data) return action;
    const refuse = (reason: string): CodeAction => {
      tell(connection, 2, `migration-lint: "${action.title}" was not applied: ${reason}`);
      return { ...withoutEdit(action), disabled: { reason } };
    };
    // on demand: the database is asked again before a migration of it is edited
    const database = await (readApplied() ?? undefined);
    const stale = "the file changed since the fix was offered; ask for it again";
    const document = documents.get(data.uri);
    if (!document || document.version !== data.version) return refuse(stale);
    const prepared = actionsOf(document, database);
    if (!prepared?.context.current) return refuse("the file is being linted again; ask for the fix again");
    if (prepared.context.refusal) return refuse(prepared.context.refusal);
    const fixes = fixesFor(prepared.messages, data.fingerprint, document.getText());
    if (!fixes.length) return refuse("the finding has no fix any more");
    const proof = await proofOf(prepared, data, fixes);
    if (!proof.proven) return refuse(refusedBecause(proof));
    if (documents.get(data.uri)?.version !== data.version) return refuse(stale);
    return { ...action, edit: fixEdit(prepared.context, fixes) };
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command === READ_APPLIED) {
      const read = readApplied();
      if (!read) return tell(connection, 3, "migration-lint: no database URL is set (the databaseUrl setting, or MIGRATION_LINT_DATABASE_URL): only the git base tells which migrations are applied.");
      const found = await read;
      if (!("error" in found)) tell(connection, 3, `migration-lint: ${found.names.size} migrations are applied on ${found.where}: they get no fix, suggestion or disable directive, only "add to baseline".`);
      return;
    }
    if (params.command !== SHOW_DOCUMENTATION) return;
    const url = String(params.arguments?.[0] ?? "");
    if (!/^https?:\/\//.test(url)) return;
    if (canShowDocument) await connection.window.showDocument({ uri: url, external: true });
    else tell(connection, 3, `Documentation: ${url}`);
  });

  connection.onHover(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || path.basename(fileURLToPath(document.uri)) !== "migration.sql") return null;
    const folder = folderOf(document.uri);
    if (!folder || !folderState.get(folder)?.answer) return null;
    const bom = bomOf(document);
    const answer = (await worker.request({ kind: "hover", folder, file: fileURLToPath(document.uri), text: document.getText(), offset: Math.max(0, document.offsetAt(params.position) - bom), unsaved: unsavedIn(folder) }).catch(() => null)) as HoverAnswer;
    if (!answer) return null;
    return { contents: { kind: "markdown", value: answer.contents }, range: { start: document.positionAt(answer.start + bom), end: document.positionAt(answer.end + bom) } };
  });

  connection.onShutdown(() => {
    worker.stop();
    prover.stop();
  });

  documents.listen(connection);
  connection.listen();
  return connection;

  interface FolderState {
    timer: NodeJS.Timeout | null;
    running: boolean;
    again: boolean;
    answer: LintAnswer | null;
    /** The texts of the open documents the last lint used, by URI (other files it read from disk). */
    linted: Map<string, string>;
    /** Files diagnostics were published for, and what (to clear and to skip unchanged ones). */
    published: Map<string, string>;
    disabledRules: string[];
    hung: Array<{ rule: string; migration: string }>;
    /** Why linting stopped until a config file changes (a config that loops at import), or null. */
    stopped: string | null;
  }

  function stateOf(folder: string): FolderState {
    let state = folderState.get(folder);
    if (!state) folderState.set(folder, (state = { timer: null, running: false, again: false, answer: null, linted: new Map(), published: new Map(), disabledRules: [], hung: [], stopped: null }));
    return state;
  }

  function knownFolders(): string[] {
    return [...new Set([...folders, ...folderState.keys()])];
  }

  /** The workspace folder a document belongs to (the deepest); a file outside every folder is linted from its project's root. */
  function folderOf(uri: string): string | null {
    if (!uri.startsWith("file:")) return null;
    const file = fileURLToPath(uri);
    if (!LINTED.test(file)) return null;
    const inside = folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
    if (inside) return inside;
    // no workspace folder: prisma/migrations/<name>/migration.sql -> the folder above prisma/
    return /(^|[\\/])(migration|down)\.sql$/.test(file) ? path.resolve(file, "../../../..") : path.resolve(file, "../..");
  }

  function unsavedIn(folder: string): Array<[string, string]> {
    return documents.all().flatMap((d): Array<[string, string]> => {
      if (!d.uri.startsWith("file:")) return [];
      const file = fileURLToPath(d.uri);
      return file.startsWith(folder + path.sep) && LINTED.test(file) ? [[file, d.getText()]] : [];
    });
  }

  function schedule(folder: string, delay: number): void {
    const state = stateOf(folder);
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      void lintFolder(folder);
    }, delay);
  }

  async function lintFolder(folder: string): Promise<void> {
    const state = stateOf(folder);
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      do {
        state.again = false;
        await lintOnce(folder, state);
      } while (state.again);
    } finally {
      state.running = false;
    }
  }

  async function lintOnce(folder: string, state: FolderState): Promise<void> {
    if (!settings.enable || state.stopped) return publish(state, new Map());
    for (let attempt = 0; ; attempt++) {
      const unsaved = unsavedIn(folder);
      const request: LintRequest = { kind: "lint", folder, unsaved, disabledRules: state.disabledRules, ruleTimeBudgetMs: settings.ruleTimeBudgetMs, base: settings.base };
      try {
        const answer = (await worker.request(request)) as LintAnswer;
        for (const { rule, migration } of state.hung) {
          const result = answer.results.find((r) => path.basename(path.dirname(r.filePath)) === migration);
          result?.messages.unshift(hungFinding(rule, migration, settings.ruleTimeBudgetMs));
        }
        state.answer = answer;
        state.linted = new Map(unsaved.map(([file, text]) => [pathToFileURL(file).href, text]));
        publish(state, new Map(answer.results.map((r) => [r.filePath, r.messages])));
        connection.console.log(`migration-lint: linted ${folder} in ${Math.round(answer.ms)} ms`);
        return;
      } catch (err) {
        if (err instanceof Stuck && err.rule !== LOADING_LABEL && attempt < 5) {
          state.disabledRules = [...state.disabledRules, err.rule];
          state.hung.push({ rule: err.rule, migration: err.migration });
          continue;
        }
        const message = err instanceof Stuck ? stuckLoading(err.migration, settings.ruleTimeBudgetMs).message : err instanceof LintFailure ? describeFailure(err.error) : String(err);
        if (err instanceof Stuck) state.stopped = message;
        // a folder without a Prisma project is not an error worth a pop-up
        if (err instanceof LintFailure && err.error.kind === "project") connection.console.log(`migration-lint: ${folder}: ${message}`);
        else tell(connection, 1, `migration-lint: ${message}`);
        connection.console.error(`migration-lint: ${folder}: ${message}`);
        return publish(state, new Map());
      }
    }
  }

  function publish(state: FolderState, byFile: Map<string, LintMessage[]>): void {
    const next = new Map<string, string>();
    for (const [file, messages] of byFile) {
      const uri = pathToFileURL(file).href;
      const diagnostics = messages.map((m) => toDiagnostic(m, documents.get(uri)));
      const key = JSON.stringify(diagnostics);
      next.set(uri, key);
      if (state.published.get(uri) !== key) void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of state.published.keys()) if (!next.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    state.published = next;
  }

  function findingsOf(document: TextDocument): { state: FolderState; messages: LintMessage[] } | null {
    const folder = folderOf(document.uri);
    const state = folder ? folderState.get(folder) : undefined;
    if (!state?.answer) return null;
    const file = fileURLToPath(document.uri);
    return { state, messages: state.answer.results.find((r) => r.filePath === file)?.messages ?? [] };
  }

  /** What the code actions of a document are made from: its findings, its project and migration, and whether the migration may be edited. */
  function actionsOf(document: TextDocument, database: AppliedInDatabase | { error: string } | undefined): PreparedActions | null {
    const found = findingsOf(document);
    if (!found) return null;
    const { state, messages } = found;
    const file = fileURLToPath(document.uri);
    const project = projectOf(state.answer!, file);
    const migration = project && path.dirname(path.dirname(file)) === project.migrationsDir ? path.basename(path.dirname(file)) : null;
    const refusal = migration ? refusalOf(migration, { ...(project?.git ? { git: project.git } : {}), ...(database ? { database } : {}) }) : null;
    const context: ActionContext = {
      document,
      current: lintedText(state, document) === document.getText(),
      project,
      statements: state.answer!.statements[file],
      client,
      baselineDocument: project ? documents.get(pathToFileURL(project.baselinePath).href) : undefined,
      refusal,
    };
    return { folder: folderOf(document.uri)!, messages, context, migration };
  }

  /** Fix actions go without their edit to a client that resolves them (the proof runs then); one that cannot gets only proven fixes. */
  async function settleFixes(actions: CodeAction[], prepared: PreparedActions): Promise<CodeAction[]> {
    if (resolvesEdits) return actions.map((action) => (fixActionData(action.data) ? withoutEdit(action) : action));
    const settled = await Promise.all(
      actions.map(async (action): Promise<CodeAction | null> => {
        const data = fixActionData(action.data);
        if (!data) return action;
        const proof = await proofOf(prepared, data, fixesFor(prepared.messages, data.fingerprint, prepared.context.document.getText()));
        if (proof.proven) return action;
        return showsDisabled ? { ...withoutEdit(action), disabled: { reason: refusedBecause(proof) } } : null;
      }),
    );
    return settled.filter((action): action is CodeAction => action !== null);
  }

  /** The proof of the fixes of a document version (src/fix: proveMigrationEdit, on the proof worker), cached. */
  function proofOf(prepared: PreparedActions, data: { fingerprint: string | null }, fixes: Fix[]): Promise<Proof> {
    const { document, project } = prepared.context;
    if (!project || !prepared.migration) return Promise.resolve({ proven: false, reason: "the file is not a migration of a linted project" });
    // the project's open migrations, as the lint saw them: the proof replays the history the editor holds
    const unsaved = unsavedIn(prepared.folder).filter(([file]) => path.basename(file) === "migration.sql" && path.dirname(path.dirname(file)) === project.migrationsDir);
    const key = JSON.stringify([document.uri, document.version, data.fingerprint, unsaved.map(([file]) => `${file}@${documents.get(pathToFileURL(file).href)?.version}`)]);
    let proof = proofs.get(key);
    if (!proof) {
      const text = applyFixesToSource(document.getText(), fixes).text;
      const request = { migrationsDir: project.migrationsDir, dialect: project.dialect, migration: prepared.migration, text, unsaved };
      proof = (prover.request(request, PROOF_DEADLINE_MS) as Promise<Proof>).catch((err: Error): Proof => {
        // a worker that ended or was stopped says nothing of the fix: asked again next time
        proofs.delete(key);
        return { proven: false, reason: `the proof did not finish (${err.message})` };
      });
      // the proofs of older versions of this document are of no use any more
      for (const old of proofs.keys()) if (old.startsWith(`[${JSON.stringify(document.uri)},`) && !old.startsWith(`[${JSON.stringify(document.uri)},${document.version},`)) proofs.delete(old);
      proofs.set(key, proof);
    }
    return proof;
  }

  function databaseUrl(): string | null {
    return settings.databaseUrl ?? (process.env.MIGRATION_LINT_DATABASE_URL?.trim() || null);
  }

  /** Reads `_prisma_migrations` (read only) into the session's copy; null without a database URL. */
  function readApplied(): Promise<AppliedInDatabase | { error: string }> | null {
    const url = databaseUrl();
    if (!url) {
      applied = null;
      return null;
    }
    const read = appliedMigrations(url).then(
      (found): AppliedInDatabase => {
        connection.console.log(`migration-lint: ${found.names.size} migrations applied on ${found.where}`);
        return found;
      },
      (err: unknown) => {
        const error = redact(errorMessage(err), secretsOf(url));
        tell(connection, 2, `migration-lint: cannot read _prisma_migrations: ${error}. Until it can be read, no migration gets a fix, suggestion or disable directive (the command ${READ_APPLIED} reads it again).`);
        return { error };
      },
    );
    applied = { url, read };
    return read;
  }

  /** The session's copy of `_prisma_migrations` (read on first use); undefined without a database URL. */
  async function appliedInDatabase(): Promise<AppliedInDatabase | { error: string } | undefined> {
    const url = databaseUrl();
    if (!url) return undefined;
    const read = applied?.url === url ? applied.read : readApplied()!;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ error: string }>((resolve) => (timer = setTimeout(() => resolve({ error: "it was still being read" }), DATABASE_WAIT_MS)));
    try {
      return await Promise.race([read, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface PreparedActions {
  folder: string;
  messages: LintMessage[];
  context: ActionContext & { project: LintedProject | undefined };
  /** The migration folder the document is in, or null (the schema, the baseline). */
  migration: string | null;
}

function withoutEdit(action: CodeAction): CodeAction {
  const { edit: _edit, ...rest } = action;
  return rest;
}

/** Why a fix was refused, for the user: what the proof found. */
function refusedBecause(proof: Proof & { proven: false }): string {
  return `the fix was not proven to keep the schema (the history replayed before and after it), so it is refused: ${proof.reason}`;
}

/** The text the last lint saw for a document: what it was sent, or the file on disk for one opened since. */
function lintedText(state: { linted: Map<string, string> }, document: TextDocument): string | null {
  const sent = state.linted.get(document.uri);
  if (sent !== undefined) return sent;
  try {
    return readFileSync(fileURLToPath(document.uri), "utf8");
  } catch {
    return null;
  }
}

/**
 * A message to the user, as the window/showMessage notification (1 error, 3 info): the library's showErrorMessage
 * sends a request, whose refusal by a client without the method rejected unhandled and ended the server.
 */
function tell(connection: Connection, type: 1 | 2 | 3, message: string): void {
  void connection.sendNotification("window/showMessage", { type, message });
}

function projectOf(answer: LintAnswer, file: string) {
  return answer.projects.filter((p) => file.startsWith(p.root + path.sep)).sort((a, b) => b.root.length - a.root.length)[0];
}

function toDiagnostic(message: LintMessage, document: TextDocument | undefined): Diagnostic {
  // the linter counts columns without a BOM; an editor that keeps the BOM in the text has it on line 1
  const bom = document ? bomOf(document) : 0;
  const at = (line: number, column: number) => ({ line: Math.max(0, line - 1), character: Math.max(0, column - 1) + (line === 1 ? bom : 0) });
  return {
    range: { start: at(message.line, message.column), end: at(message.endLine, message.endColumn) },
    severity: message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    ...(message.ruleId ? { code: message.ruleId } : {}),
    ...(message.docsUrl ? { codeDescription: { href: message.docsUrl } } : {}),
    source: SOURCE,
    message: message.help ? `${message.message}\n\n${message.help}` : message.message,
    data: { fingerprint: message.fingerprint },
  };
}

function describeFailure(error: WorkerError): string {
  return error.file ? `${error.file}${error.line ? `:${error.line}` : ""}: ${error.message}` : error.message;
}

function isConfigFile(file: string): boolean {
  return CONFIG_FILES.includes(path.basename(file)) || /\.([cm]?[jt]s)$/.test(file);
}

function readSettings(value: unknown): ServerSettings {
  const v = (value && typeof value === "object" ? value : {}) as Partial<Record<keyof ServerSettings, unknown>>;
  const positive = (n: unknown, fallback: number) => (typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : fallback);
  return {
    enable: v.enable !== false,
    debounceMs: positive(v.debounceMs, DEFAULTS.debounceMs),
    ruleTimeBudgetMs: positive(v.ruleTimeBudgetMs, DEFAULTS.ruleTimeBudgetMs) || DEFAULTS.ruleTimeBudgetMs,
    base: typeof v.base === "string" && v.base.trim() ? v.base.trim() : null,
    databaseUrl: typeof v.databaseUrl === "string" && v.databaseUrl.trim() ? v.databaseUrl.trim() : null,
  };
}
