/**
 * The language server's code actions for one finding: its fix (the preferred quick fix), each suggestion (with the
 * files it creates, where the client can create files), "disable for this statement" (a migration not applied
 * yet), "add to baseline" and "show documentation"; and "fix all" for a file.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, TextEdit, WorkspaceEdit } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Fix, LintMessage } from "../engine/results.js";
import { addToBaseline } from "../engine/baseline.js";
import type { LintedProject } from "./protocol.js";

export const SHOW_DOCUMENTATION = "migration-lint.showDocumentation";
export const FIX_ALL_KIND = "source.fixAll.migration-lint";
/** What "disable for this statement" writes after ` -- `: a reason the directive requires, for the author to write. */
export const REASON_PLACEHOLDER = "TODO: say why this is safe here";

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
}

/** A BOM the document's text holds (the linter's offsets leave it out). */
export const bomOf = (document: TextDocument): number => (document.getText().charCodeAt(0) === 0xfeff ? 1 : 0);

export function codeActionsFor(message: LintMessage, diagnostic: Diagnostic, context: ActionContext): CodeAction[] {
  const { document } = context;
  const actions: CodeAction[] = [];
  const rule = message.ruleId ?? "finding";
  if (message.fix && context.current) {
    actions.push({ title: `Fix: ${fixTitle(message)}`, kind: "quickfix", isPreferred: true, diagnostics: [diagnostic], edit: documentEdit(context, [textEdit(document, message.fix)]) });
  }
  for (const suggestion of context.current ? message.suggestions ?? [] : []) {
    const files = suggestion.files ?? [];
    // a suggestion that moves SQL into a new migration is wrong without that migration
    if (files.length && !context.client.createFiles) continue;
    const edit = documentEdit(context, [textEdit(document, suggestion.fix)]);
    if (files.length) edit.documentChanges!.push(...files.flatMap((f) => createWithText(f.filePath, f.text)));
    actions.push({ title: suggestion.desc, kind: "quickfix", diagnostics: [diagnostic], edit });
  }
  const migration = message.migration;
  const isMigrationSql = path.basename(document.uri) === "migration.sql";
  const editable = context.project?.atBase ? !context.project.atBase.includes(migration ?? "") : true;
  if (message.ruleId && !ENGINE_ONLY.has(message.ruleId) && isMigrationSql && editable && context.current) {
    const directive = disableDirective(document, message, context.statements);
    if (directive) actions.push({ title: `Disable ${rule} for this statement`, kind: "quickfix", diagnostics: [diagnostic], edit: documentEdit(context, [directive]) });
  }
  if (message.ruleId && !ENGINE_ONLY.has(message.ruleId) && migration && !message.fatal && context.project) {
    const baseline = baselineEdit(context, { ...message, ruleId: message.ruleId, migration });
    if (baseline) actions.push({ title: `Add this ${rule} finding to the baseline`, kind: "quickfix", diagnostics: [diagnostic], edit: baseline });
  }
  if (message.docsUrl) actions.push({ title: `Show documentation for ${rule}`, kind: "quickfix", diagnostics: [diagnostic], command: { title: `Show documentation for ${rule}`, command: SHOW_DOCUMENTATION, arguments: [message.docsUrl] } });
  return actions;
}

/** All fixes of a file that do not overlap, in one edit (`source.fixAll`); null when there is none. */
export function fixAllAction(messages: LintMessage[], context: ActionContext): CodeAction | null {
  if (!context.current) return null;
  const fixes = messages.flatMap((m) => (m.fix ? [m.fix] : [])).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const chosen: Fix[] = [];
  for (const fix of fixes) if (!chosen.length || fix.range[0] >= chosen.at(-1)!.range[1]) chosen.push(fix);
  if (!chosen.length) return null;
  return { title: "Fix all migration-lint findings that have a fix", kind: FIX_ALL_KIND, edit: documentEdit(context, chosen.map((fix) => textEdit(context.document, fix))) };
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

function documentEdit(context: ActionContext, edits: TextEdit[]): WorkspaceEdit & { documentChanges?: Array<TextDocumentEdit | CreateFile> } {
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

/** `-- migration-lint-disable-next-line <rule> -- <reason>` on its own line above the statement that holds the finding. */
function disableDirective(document: TextDocument, message: LintMessage, statements: Array<[number, number]> | undefined): TextEdit | null {
  const bom = bomOf(document);
  const at = document.offsetAt({ line: message.line - 1, character: message.column - 1 }) - (message.line === 1 ? 0 : bom);
  const statement = statements?.find(([start, end]) => start <= at && at <= end);
  const start = document.positionAt((statement ? statement[0] : at) + bom);
  const line = document.getText({ start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(line)![0];
  const eol = document.getText().includes("\r\n") ? "\r\n" : "\n";
  const position = { line: start.line, character: 0 };
  return { range: { start: position, end: position }, newText: `${indent}-- migration-lint-disable-next-line ${message.ruleId} -- ${REASON_PLACEHOLDER}${eol}` };
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
