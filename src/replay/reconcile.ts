/**
 * Where replay measured what a static rule predicted, the measurement wins.
 * Today: rewrite claims. A static finding that says a statement rewrites a
 * table (add-required-column/rewrite, column-type-change/rewrite and
 * enumRecreation) is moved to the suppressed findings, with the trace as the
 * justification, when the replayed statement was traced and rewrote nothing;
 * e.g. a DEFAULT that calls a user function declared STABLE, which the
 * static rule must assume volatile.
 */
import type { LoadedMigration } from "../engine/linter.js";
import type { LintMessage } from "../engine/results.js";
import type { LockTraceEntry } from "./locks.js";

const REWRITE_CLAIMS = new Set(["add-required-column/rewrite", "column-type-change/rewrite", "column-type-change/enumRecreation"]);

export function reconcileWithTrace(
  byFile: Map<string, LintMessage[]>,
  suppressedByFile: Map<string, LintMessage[]>,
  trace: LockTraceEntry[],
  migrations: LoadedMigration[],
): number {
  // statement line spans per file, to find the traced statement a finding points into
  const spans = new Map<string, Array<{ from: number; to: number }>>();
  for (const m of migrations) {
    if (!m.file) continue;
    spans.set(m.file.path, m.file.statements.map((s) => ({ from: s.range.loc.start.line, to: s.range.loc.end.line })));
  }
  const traced = new Map<string, LockTraceEntry>();
  for (const entry of trace) traced.set(`${entry.file}\0${entry.line}`, entry);

  let moved = 0;
  for (const [file, messages] of byFile) {
    const kept: LintMessage[] = [];
    for (const message of messages) {
      const claim = `${message.ruleId}/${message.messageId}`;
      const span = REWRITE_CLAIMS.has(claim) ? spans.get(file)?.find((s) => message.line >= s.from && message.line <= s.to) : undefined;
      const entry = span ? traced.get(`${file}\0${span.from}`) : undefined;
      if (!entry || entry.note || entry.locks.length === 0 || entry.locks.some((l) => l.rewrite)) {
        kept.push(message);
        continue;
      }
      const held = entry.locks.map((l) => `${l.mode} on ${l.table}`).join(", ");
      const list = suppressedByFile.get(file) ?? [];
      list.push({ ...message, suppressions: [{ kind: "replay", justification: `replay traced this statement: it took ${held} and rewrote no table` }] });
      suppressedByFile.set(file, list);
      moved++;
    }
    byFile.set(file, kept);
  }
  return moved;
}
