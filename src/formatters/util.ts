/** Helpers shared by the formatters. */
import path from "node:path";
import type { LintMessage } from "../engine/results.js";
import type { FormatterContext } from "./types.js";

/** How a suppressed finding was silenced (`suppressedMessages[].suppressions`). */
export interface MessageSuppression {
  kind: "directive" | "baseline";
  justification?: string;
}

/** A suppressed finding: a message plus the suppressions that silenced it. */
export type SuppressedMessage = Omit<LintMessage, "suppressions"> & { suppressions?: MessageSuppression[] };

/**
 * `filePath` relative to `cwd`, with forward slashes on every platform.
 * A file outside `cwd` keeps its `../` prefix; a file on another drive stays absolute.
 */
export function relativePath(cwd: string, filePath: string): string {
  const rel = path.relative(cwd, filePath) || path.basename(filePath);
  return rel.split(path.sep).join("/");
}

/** Where the formats CI reads show paths from: the repository root when known, else `cwd`. */
export const reportRoot = (context: FormatterContext): string => context.repositoryRoot ?? context.cwd;

/** True when the relative path leaves `cwd` (or could not be made relative). */
export function isOutside(rel: string): boolean {
  return rel === ".." || rel.startsWith("../") || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel);
}

/** Rule id of a finding; ESLint reports parse errors with a null rule id. */
export function ruleIdOf(m: LintMessage): string {
  return m.ruleId ?? "parse-error";
}

/** 1-based line/column span, clamped so that consumers which validate regions accept it. */
export interface Span {
  line: number;
  column: number;
  /** Undefined when the message has no usable end (missing, or before the start). */
  end?: { line: number; column: number };
}

export function spanOf(m: LintMessage): Span {
  const line = Math.max(1, Math.trunc(m.line) || 1);
  const column = Math.max(1, Math.trunc(m.column) || 1);
  const endLine = Math.trunc(m.endLine);
  const endColumn = Math.trunc(m.endColumn);
  const hasEnd = endLine >= 1 && endColumn >= 1 && (endLine > line || (endLine === line && endColumn >= column));
  return hasEnd ? { line, column, end: { line: endLine, column: endColumn } } : { line, column };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "Error" / "Warning", as ESLint's compact and unix formats print them. */
export const severityLabel = (m: LintMessage) => (m.fatal || m.severity === 2 ? "Error" : "Warning");


export { escapeJsonControls, showControls } from "../controls.js";
