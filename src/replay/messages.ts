/** Builds replay findings in the engine's ESLint shape. */
import { fingerprint, lineColumns } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import type { ParsedSqlFile, SourceRange, Statement } from "../types.js";
import type { LoadedMigration } from "../engine/linter.js";
import type { ReplayOptions } from "./types.js";

export const REPLAY_DOCS_URL = "https://github.com/migration-lint/migration-lint/blob/main/docs/replay.md";

export interface MessageInput {
  ruleId: "replay-failed" | "lock-trace" | "rollback-mismatch" | "schema-drift";
  severity: 1 | 2;
  message: string;
  help?: string;
  position: Pick<LintMessage, "line" | "column" | "endLine" | "endColumn">;
  /** Parts of the stable fingerprint (never line numbers). */
  key: string[];
  migration?: string;
}

export function replayMessage(input: MessageInput): LintMessage {
  return {
    ruleId: input.ruleId,
    severity: input.severity,
    message: input.message,
    ...input.position,
    ...(input.help ? { help: input.help } : {}),
    docsUrl: `${REPLAY_DOCS_URL}#${input.ruleId}`,
    fingerprint: fingerprint(["replay", ...input.key.map((part) => part.replace(/\s+/g, " ").trim())]),
    ...(input.migration ? { migration: input.migration } : {}),
  };
}

export const LINE_ONE: MessageInput["position"] = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export function rangePosition(range: SourceRange): MessageInput["position"] {
  return lineColumns(range);
}

/**
 * Postgres's error `position` is a 1-based count of characters (code points)
 * into the query text; JavaScript strings count UTF-16 units. Returns the
 * string index, clamped to the text.
 */
export function indexOfCharPosition(text: string, position: number): number {
  let index = 0;
  for (let chars = 1; chars < position && index < text.length; chars++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return Math.min(index, text.length);
}

/** The statement of `file` that contains string index `offset` (or the next one after it). */
export function statementAt(file: ParsedSqlFile, offset: number) {
  return file.statements.find((s) => offset >= s.range.start && offset <= s.range.end) ?? file.statements.find((s) => s.range.start >= offset) ?? null;
}

/** The first statement of `file` that operates on table `name`. */
export function statementOnTable(file: ParsedSqlFile, name: string): Statement | null {
  for (const statement of file.statements) {
    for (const op of statement.operations) {
      const o = op as unknown as { table?: { name: string }; tables?: Array<{ name: string }> };
      if (o.table?.name === name || o.tables?.some((t) => t.name === name)) return statement;
    }
  }
  return null;
}

/**
 * Replay stops at the first migration that cannot be applied: later ones
 * depend on it. One info finding says so, on the first in-scope migration
 * left out (else on the one that stopped it); null when there is nothing to say.
 */
export function stoppedFinding(options: Pick<ReplayOptions, "migrations" | "inScope" | "schema">, restFrom: number, cause: string, stoppedAt: LoadedMigration): { file: string; input: MessageInput } | null {
  const { migrations, inScope } = options;
  const notApplied = migrations.slice(restFrom);
  if (notApplied.length === 0 && !options.schema) return null;
  const left =
    notApplied.length === 0
      ? "No later migration was left out."
      : `${notApplied.length} later migration${notApplied.length === 1 ? " was" : "s were"} not applied (${notApplied[0]!.entry.name}${notApplied.length > 1 ? ` ... ${notApplied.at(-1)!.entry.name}` : ""}).`;
  const drift = options.schema ? " Schema drift was not checked." : "";
  const anchor = notApplied.find((m) => inScope(m)) ?? stoppedAt;
  return {
    file: anchor.entry.upPath ?? anchor.entry.dir,
    input: {
      ruleId: "replay-failed",
      severity: 1,
      message: `Replay stopped: ${cause.replace(/\.?$/, ".")} ${left}${drift}`,
      position: LINE_ONE,
      key: [anchor.entry.name, "replay-failed", "stopped", stoppedAt.entry.name],
      migration: anchor.entry.name,
    },
  };
}
