/**
 * The result shape: ESLint's JSON result, so that every tool that reads
 * `eslint -f json` reads ours. Extra fields (help, docsUrl, fingerprint,
 * migration) are additions ESLint consumers ignore.
 */
import { compareCodeUnits } from "../compare.js";

/**
 * A text edit in the message's own file (ESLint's shape): replace the text between `range[0]` and
 * `range[1]` (offsets into the decoded text with any BOM removed, as `SourceRange` offsets are) by `text`.
 * Several edits of one fix are merged into one range, as ESLint does.
 */
export interface Fix {
  range: [number, number];
  text: string;
}

/** A rewrite offered, never applied by `--fix` (ESLint's suggestion shape, plus files it creates). */
export interface Suggestion {
  /** What it does, as a title ("Move the index to its own migration, CONCURRENTLY"). */
  desc: string;
  messageId?: string;
  /** The edit to the message's own file. */
  fix: Fix;
  /** Files the suggestion creates (absolute paths), e.g. a new migration folder that sorts right after this one. */
  files?: Array<{ filePath: string; text: string }>;
}

export interface LintMessage {
  /** Rule id; engine findings use `parse-error`, `file-error` and `internal-error`. */
  ruleId: string | null;
  severity: 1 | 2;
  /** What is wrong and why it is dangerous. */
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId?: string;
  /** The safe way to do it. */
  help?: string;
  docsUrl?: string;
  /** Stable id of the finding: migration, rule and statement text, never line numbers. */
  fingerprint: string;
  /** Migration folder name, when the finding belongs to a migration. */
  migration?: string;
  /** A mechanical rewrite with the same end schema, applied by `--fix`. */
  fix?: Fix;
  /** Rewrites where the intent must be a person's: offered, never applied by `--fix`. */
  suggestions?: Suggestion[];
  /** Set on findings that stopped a file (or statement) from being understood, like ESLint's parse errors. */
  fatal?: boolean;
  /** On suppressed messages only (ESLint's shape): why and by what the finding is suppressed. */
  suppressions?: Array<{ kind: "directive" | "baseline" | "replay"; justification: string }>;
}

export interface LintResult {
  /** Absolute path. */
  filePath: string;
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  usedDeprecatedRules: Array<{ ruleId: string; replacedBy: string[] }>;
}

export function compareMessages(a: LintMessage, b: LintMessage): number {
  return a.line - b.line || a.column - b.column || compareCodeUnits(a.ruleId ?? "", b.ruleId ?? "") || compareCodeUnits(a.message, b.message);
}

/**
 * Builds sorted ESLint-shaped results from messages grouped by file (the lists are sorted in place). One pass a file
 * counts its messages (messageCounts): a resident re-lint of an 820-migration history builds 820 results every edit.
 */
export function toResults(byFile: Map<string, LintMessage[]>, suppressedByFile: Map<string, LintMessage[]> = new Map()): LintResult[] {
  const results: LintResult[] = [];
  for (const file of suppressedByFile.keys()) if (!byFile.has(file)) byFile.set(file, []);
  // forEach: no entry pair made for each file
  byFile.forEach((messages, filePath) => {
    sortMessages(messages);
    const suppressedMessages = suppressedByFile.get(filePath) ?? [];
    sortMessages(suppressedMessages);
    results.push({ filePath, messages, suppressedMessages, ...messageCounts(messages), usedDeprecatedRules: [] });
  });
  return results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
}

/**
 * Sorts messages in place by compareMessages, unless they already are (a sort makes a copy of its list to work on:
 * a resident process's cached lists come sorted, and most files have one message or none).
 */
export function sortMessages(messages: LintMessage[]): void {
  for (let i = 1; i < messages.length; i++) {
    if (compareMessages(messages[i - 1]!, messages[i]!) > 0) {
      messages.sort(compareMessages);
      return;
    }
  }
}

export interface ResultTotals {
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
}

export function totals(results: LintResult[]): ResultTotals {
  let errorCount = 0;
  let warningCount = 0;
  let fatalErrorCount = 0;
  for (const r of results) {
    errorCount += r.errorCount;
    warningCount += r.warningCount;
    fatalErrorCount += r.fatalErrorCount;
  }
  return { errorCount, warningCount, fatalErrorCount };
}

/** A file's counts of its messages, as ESLint gives them with its result, in one pass. */
export function messageCounts(messages: LintMessage[]): Pick<LintResult, "errorCount" | "fatalErrorCount" | "warningCount" | "fixableErrorCount" | "fixableWarningCount"> {
  let errorCount = 0;
  let fatalErrorCount = 0;
  let warningCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;
  for (const m of messages) {
    if (m.severity === 2) {
      errorCount++;
      if (m.fix) fixableErrorCount++;
    } else {
      if (m.severity === 1) warningCount++;
      if (m.fix) fixableWarningCount++;
    }
    if (m.fatal) fatalErrorCount++;
  }
  return { errorCount, fatalErrorCount, warningCount, fixableErrorCount, fixableWarningCount };
}
