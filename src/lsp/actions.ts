/**
 * The language server's code actions for one finding: its fix (the preferred quick fix), each suggestion (with the
 * files it creates, where the client can create files), "disable for this statement", "add to baseline" and "show
 * documentation"; and "fix all" for a file. Only the baseline and the documentation for a migration that may be
 * applied somewhere (`ActionContext.refusal`). A fix action carries `FixActionData`: src/lsp/server.ts proves the
 * fix before the client gets its edit.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, TextEdit, WorkspaceEdit } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Fix, LintMessage } from "../engine/results.js";
import { addToBaseline } from "../engine/baseline.js";
import { applyFixesToSource } from "../engine/fixer.js";
// "disable for this statement" writes what --apply-suggestion <id>:disable writes
import { disableDirectiveFix } from "../fix/disable.js";
import type { LintedProject } from "./protocol.js";

export const SHOW_DOCUMENTATION = "migration-lint.showDocumentation";
export const FIX_ALL_KIND = "source.fixAll.migration-lint";

/** Findings only the engine reports (no rule to disable or baseline by id). */
const ENGINE_ONLY = new Set(["parse-error", "file-error", "internal-error", "invalid-directive", "unused-directive", "baseline-expired", "baseline-stale"]);

export interface ClientAbilities {
  /** The client applies `documentChanges` (versioned edits) rather than only `changes`. */
  documentChanges: boolean;
  /** The client can create files in a workspace edit. */
  createFiles: boolean;
}

export interface ActionContext {
  document: TextDocument;
  /** The document's text was what the findings were computed on (fixes apply only then). */
  current: boolean;
  project: LintedProject | undefined;
  /** The statements of the document as the worker parsed it: offsets in the BOM-less text. */
  statements: Array<[number, number]> | undefined;
  client: ClientAbilities;
  /** The baseline's text as an open editor holds it (with its version), if it is open. */
  baselineDocument: TextDocument | undefined;
  /**
   * Why the findings' migration may not be edited (applied somewhere: src/fix/safety.ts refusalOf), or null: then
   * its fixes, suggestions and "disable for this statement" are offered; otherwise only the baseline and the docs.
   */
  refusal: string | null;
}

/**
 * What a fix action carries (`data`): a fix is proven before the client gets its edit (src/lsp/server.ts), on
 * codeAction/resolve, so the action names the document version and the finding (`fingerprint`; null: fix all).
 */
export interface FixActionData {
  migrationLint: "fix";
  uri: string;
  version: number;
  fingerprint: string | null;
}

export function fixActionData(value: unknown): FixActionData | null {
  const data = value as Partial<FixActionData> | null | undefined;
  return data?.migrationLint === "fix" && typeof data.uri === "string" && typeof data.version === "number" ? (data as FixActionData) : null;
}

/** The fixes an action applies: the finding's, or (fingerprint null) every fix of the file `--fix`'s first pass would apply together. */
export function fixesFor(messages: LintMessage[], fingerprint: string | null, text: string): Fix[] {
  if (fingerprint !== null) return messages.flatMap((m) => (m.fix && m.fingerprint === fingerprint ? [m.fix] : [])).slice(0, 1);
  return applyFixesToSource(text, messages.flatMap((m) => (m.fix ? [m.fix] : []))).applied;
}

/** The fixes' edit of the document (a versioned edit where the client takes one). */
export function fixEdit(context: Pick<ActionContext, "document" | "client">, fixes: Fix[]): WorkspaceEdit {
  return documentEdit(context, fixes.map((fix) => textEdit(context.document, fix)));
}

/** A BOM the document's text holds (the linter's offsets leave it out). */
export const bomOf = (document: TextDocument): number => (document.getText().charCodeAt(0) === 0xfeff ? 1 : 0);

export function codeActionsFor(message: LintMessage, diagnostic: Diagnostic, context: ActionContext): CodeAction[] {
  const { document } = context;
  const actions: CodeAction[] = [];
  const rule = message.ruleId ?? "finding";
  // nothing that edits a migration applied somewhere (its checksum): only the baseline and the docs
  const editable = context.current && (!message.migration || context.refusal === null);
  const isMigrationSql = path.basename(document.uri) === "migration.sql";
  // as --fix: what the proof replays is migration.sql
  if (message.fix && message.fingerprint && editable && isMigrationSql) {
    const data: FixActionData = { migrationLint: "fix", uri: document.uri, version: document.version, fingerprint: message.fingerprint };
    actions.push({ title: `Fix: ${fixTitle(message)}`, kind: "quickfix", isPreferred: true, diagnostics: [diagnostic], data, edit: fixEdit(context, [message.fix]) });
  }
  for (const suggestion of editable ? message.suggestions ?? [] : []) {
    const files = suggestion.files ?? [];
    // a suggestion that moves SQL into a new migration is wrong without that migration
    if (files.length && !context.client.createFiles) continue;
    const edit = documentEdit(context, [textEdit(document, suggestion.fix)]);
    if (files.length) edit.documentChanges!.push(...files.flatMap((f) => createWithText(f.filePath, f.text)));
    actions.push({ title: suggestion.desc, kind: "quickfix", diagnostics: [diagnostic], edit });
  }
  const migration = message.migration;
  if (message.ruleId && !ENGINE_ONLY.has(message.ruleId) && isMigrationSql && editable) {
    const directive = disableDirective(document, { ...message, ruleId: message.ruleId }, context.statements);
    if (directive) actions.push({ title: `Disable ${rule} for this statement`, kind: "quickfix", diagnostics: [diagnostic], edit: documentEdit(context, [directive]) });
  }
  if (message.ruleId && !ENGINE_ONLY.has(message.ruleId) && migration && !message.fatal && context.project) {
    const baseline = baselineEdit(context, { ...message, ruleId: message.ruleId, migration });
    if (baseline) actions.push({ title: `Add this ${rule} finding to the baseline`, kind: "quickfix", diagnostics: [diagnostic], edit: baseline });
  }
  if (message.docsUrl) actions.push({ title: `Show documentation for ${rule}`, kind: "quickfix", diagnostics: [diagnostic], command: { title: `Show documentation for ${rule}`, command: SHOW_DOCUMENTATION, arguments: [message.docsUrl] } });
  return actions;
}

/** All fixes of a file that do not overlap, in one edit (`source.fixAll`); null when there is none or the migration may not be edited. */
export function fixAllAction(messages: LintMessage[], context: ActionContext): CodeAction | null {
  if (!context.current || context.refusal !== null || path.basename(context.document.uri) !== "migration.sql") return null;
  const chosen = fixesFor(messages, null, context.document.getText());
  if (!chosen.length) return null;
  const data: FixActionData = { migrationLint: "fix", uri: context.document.uri, version: context.document.version, fingerprint: null };
  return { title: "Fix all migration-lint findings that have a fix", kind: FIX_ALL_KIND, data, edit: fixEdit(context, chosen) };
}

function fixTitle(message: LintMessage): string {
  const help = message.help?.split(/(?<=\.)\s/)[0];
  return help && help.length <= 100 ? help : `${message.ruleId}`;
}

/** A fix's range (offsets in the BOM-less text) as an edit of the document. */
export function textEdit(document: TextDocument, fix: Fix): TextEdit {
  const bom = bomOf(document);
  return { range: { start: document.positionAt(fix.range[0] + bom), end: document.positionAt(fix.range[1] + bom) }, newText: fix.text };
}

function documentEdit(context: Pick<ActionContext, "document" | "client">, edits: TextEdit[]): WorkspaceEdit & { documentChanges?: Array<TextDocumentEdit | CreateFile> } {
  const { document } = context;
  // versioned: a client whose text moved on since refuses the edit instead of applying it to the wrong place
  return context.client.documentChanges ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] } : { changes: { [document.uri]: edits } };
}

function createWithText(filePath: string, text: string): Array<TextDocumentEdit | CreateFile> {
  const uri = pathToFileURL(filePath).href;
  // a suggestion may also replace a file whole (schema.prisma with @map): created again over it, then its text
  const replaces = existsSync(filePath);
  return [
    { kind: "create", uri, options: replaces ? { overwrite: true } : { ignoreIfExists: false, overwrite: false } },
    { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] },
  ];
}

/** `-- migration-lint-disable-next-line <rule> -- <reason>` on its own line above the statement that holds the finding (src/fix/disable.ts). */
function disableDirective(document: TextDocument, message: LintMessage & { ruleId: string }, statements: Array<[number, number]> | undefined): TextEdit | null {
  const bom = bomOf(document);
  const at = document.offsetAt({ line: message.line - 1, character: message.column - 1 }) - (message.line === 1 ? 0 : bom);
  const text = document.getText().slice(bom);
  // where the statements are not known yet (the document was linted before it was opened), the finding's own line
  const start = statements?.find(([first, last]) => first <= at && at <= last)?.[0] ?? text.lastIndexOf("\n", at - 1) + 1;
  const fix = disableDirectiveFix(text, start, message.ruleId);
  return fix ? textEdit(document, fix) : null;
}

function baselineEdit(context: ActionContext, message: LintMessage & { ruleId: string; migration: string }): WorkspaceEdit | null {
  const project = context.project!;
  const open = context.baselineDocument;
  const text = open ? open.getText() : project.baselineText;
  const next = addToBaseline(text, message);
  if (next === null) return null;
  const uri = pathToFileURL(project.baselinePath).href;
  if (text === null) {
    if (!context.client.createFiles) return null;
    return { documentChanges: createWithText(project.baselinePath, next) };
  }
  const lines = text.split("\n");
  const whole = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines.at(-1)!.length } };
  const edit = { range: whole, newText: next };
  return context.client.documentChanges ? { documentChanges: [{ textDocument: { uri, version: open?.version ?? null }, edits: [edit] }] } : { changes: { [uri]: [edit] } };
}
