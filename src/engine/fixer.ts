/**
 * The fixer a rule's `fix` and `suggest[].fix` functions receive, as ESLint's: text edits over operations,
 * statements or ranges of the migration being linted, merged into one `Fix` per finding.
 */
import type { Operation, ParsedSqlFile, SourceRange, Statement } from "../types.js";
import type { Fix } from "./results.js";

/** What an edit may be anchored on: an operation, a statement, or a range (`[start, end]` offsets, or a SourceRange). */
export type FixTarget = Operation | Statement | SourceRange | readonly [number, number];

export interface RuleFixer {
  insertTextAfter(target: FixTarget, text: string): Fix;
  insertTextAfterRange(range: SourceRange | readonly [number, number], text: string): Fix;
  insertTextBefore(target: FixTarget, text: string): Fix;
  insertTextBeforeRange(range: SourceRange | readonly [number, number], text: string): Fix;
  replaceText(target: FixTarget, text: string): Fix;
  replaceTextRange(range: SourceRange | readonly [number, number], text: string): Fix;
  remove(target: FixTarget): Fix;
  removeRange(range: SourceRange | readonly [number, number]): Fix;
}

/** What a `fix` function may return (ESLint's shape): one edit, several, or nothing. */
export type FixResult = Fix | Iterable<Fix> | null | undefined;
export type FixFunction = (fixer: RuleFixer) => FixResult;

function offsets(target: FixTarget): [number, number] {
  if (Array.isArray(target)) return [target[0], target[1]] as [number, number];
  const range = "range" in target ? target.range : (target as SourceRange);
  return [range.start, range.end];
}

export const fixer: RuleFixer = {
  insertTextAfter: (target, text) => fixer.insertTextAfterRange(offsets(target), text),
  insertTextAfterRange: (range, text) => {
    const [, end] = offsets(range);
    return { range: [end, end], text };
  },
  insertTextBefore: (target, text) => fixer.insertTextBeforeRange(offsets(target), text),
  insertTextBeforeRange: (range, text) => {
    const [start] = offsets(range);
    return { range: [start, start], text };
  },
  replaceText: (target, text) => fixer.replaceTextRange(offsets(target), text),
  replaceTextRange: (range, text) => ({ range: offsets(range), text }),
  remove: (target) => fixer.replaceTextRange(offsets(target), ""),
  removeRange: (range) => fixer.replaceTextRange(range, ""),
};

/**
 * Runs a fix function and merges what it returns into one edit of `text` (ESLint merges a report's edits
 * the same way). Throws when an edit is malformed, lies outside the text, or overlaps another.
 */
export function buildFix(fix: FixFunction, text: string): Fix | null {
  const returned = fix(fixer) as unknown;
  if (returned === null || returned === undefined) return null;
  if (typeof (returned as PromiseLike<unknown>).then === "function") {
    (returned as Promise<unknown>).then(undefined, () => undefined);
    throw new TypeError("the fix function returned a promise; it must return its edits synchronously");
  }
  const edits = isFix(returned) ? [returned] : [...(returned as Iterable<unknown>)];
  for (const edit of edits) {
    if (!isFix(edit)) throw new TypeError("the fix function returned something that is not a fixer edit ({ range: [start, end], text })");
    const [start, end] = edit.range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) throw new RangeError(`the fix edits [${start}, ${end}], outside the file (0 to ${text.length})`);
  }
  if (!edits.length) return null;
  return mergeFixes(edits as Fix[], text);
}

function isFix(value: unknown): value is Fix {
  if (!value || typeof value !== "object") return false;
  const v = value as Partial<Fix>;
  return Array.isArray(v.range) && v.range.length === 2 && typeof v.text === "string";
}

/** Several edits of one text as one (sorted; the text between them kept). Throws when two overlap. */
export function mergeFixes(edits: Fix[], text: string): Fix {
  if (edits.length === 1) return { range: [edits[0]!.range[0], edits[0]!.range[1]], text: edits[0]!.text };
  // stable: two insertions at one offset keep the order the rule gave them
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.range[0] - b.e.range[0] || a.e.range[1] - b.e.range[1] || a.i - b.i).map((x) => x.e);
  const start = sorted[0]!.range[0];
  const end = Math.max(...sorted.map((e) => e.range[1]));
  let out = "";
  let at = start;
  for (const edit of sorted) {
    if (edit.range[0] < at) throw new RangeError("the fix's edits overlap");
    out += text.slice(at, edit.range[0]) + edit.text;
    at = edit.range[1];
  }
  out += text.slice(at, end);
  return { range: [start, end], text: out };
}

/** Applies non-overlapping edits to `text` (sorted first). Edits that overlap an earlier one are returned as skipped. */
export function applyFixes(text: string, fixes: Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  let out = "";
  let at = 0;
  // ESLint's rule: a fix that starts where the previous one ended waits for the next pass
  let lastEnd = -1;
  for (const fix of sorted) {
    if (fix.range[0] <= lastEnd) {
      skipped.push(fix);
      continue;
    }
    out += text.slice(at, fix.range[0]) + fix.text;
    at = fix.range[1];
    lastEnd = fix.range[1];
    applied.push(fix);
  }
  out += text.slice(at);
  return { text: out, applied, skipped };
}

/** The line break a text uses (its first one), `\n` when it has none: inserted SQL keeps a CRLF file CRLF. */
export function lineBreakOf(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : "\n";
}

const BOM = "\uFEFF";

/** `applyFixes` on a file's raw text: the offsets are into the text without its BOM, which is kept. */
export function applyFixesToSource(raw: string, fixes: Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const hadBom = raw.startsWith(BOM);
  const result = applyFixes(hadBom ? raw.slice(1) : raw, fixes);
  return { ...result, text: hadBom ? BOM + result.text : result.text };
}

/** An edit that puts `sql` (one statement, with its semicolon) first in the file, on a line of its own with a blank line after it. */
export function prependStatement(file: Pick<ParsedSqlFile, "text">, sql: string): Fix {
  const eol = lineBreakOf(file.text);
  return { range: [0, 0], text: `${sql}${eol}${eol}` };
}

/** An edit that puts `sql` (one statement, with its semicolon) last in the file, ending the last statement first when it has no semicolon. */
export function appendStatement(file: Pick<ParsedSqlFile, "text" | "statements">, sql: string): Fix {
  const { text } = file;
  const eol = lineBreakOf(text);
  const last = file.statements.at(-1);
  const unterminated = last !== undefined && !text.slice(last.range.end).trimStart().startsWith(";");
  const atEnd = text.length === 0 || /[\r\n]$/.test(text);
  const append: Fix = { range: [text.length, text.length], text: `${atEnd ? "" : eol}${eol}${sql}${eol}` };
  return unterminated ? mergeFixes([{ range: [last.range.end, last.range.end], text: ";" }, append], text) : append;
}
