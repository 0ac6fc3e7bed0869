/**
 * The committed baseline: findings a team accepted, keyed by migration, rule
 * and the statement fingerprint (never line numbers), each with an optional
 * reason, expiry date and ticket. Prisma checksums applied migrations, so
 * editing an old migration to add an inline directive would make
 * `migrate dev` demand a reset: the baseline is the way to accept those.
 */
import { readFileSync } from "node:fs";
import { observe } from "../discover/observed.js";
import { MigrationLintError, errorMessage } from "../errors.js";
import { fingerprint } from "./linter.js";
import { compareCodeUnits } from "../compare.js";
import { headOf, writeFileAtomically } from "../write-file.js";
import type { LintMessage, LintResult } from "./results.js";

export const BASELINE_FILE = ".migration-lint-baseline.json";

export interface BaselineEntry {
  migration: string;
  ruleId: string;
  fingerprint: string;
  /** The message when the entry was written, for reviewers. */
  message?: string;
  reason?: string;
  /** YYYY-MM-DD: after this day the finding is reported again. */
  expires?: string;
  ticket?: string;
}

export interface Baseline {
  path: string;
  text: string;
  entries: BaselineEntry[];
}

const keyOf = (e: { migration?: string; ruleId: string | null; fingerprint: string }) => `${e.migration ?? ""}\0${e.ruleId ?? ""}\0${e.fingerprint}`;

export function readBaseline(path: string): Baseline | null {
  let text: string;
  observe(path, "content");
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new MigrationLintError("config", `Cannot read the baseline: ${errorMessage(err)}`, { file: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MigrationLintError("config", `The baseline is not valid JSON: ${errorMessage(err)}`, { file: path });
  }
  const entries = (data as { entries?: unknown }).entries;
  if (!Array.isArray(entries) || !entries.every((e) => e && typeof e.migration === "string" && typeof e.ruleId === "string" && typeof e.fingerprint === "string")) {
    throw new MigrationLintError("config", 'The baseline must be { "version": 1, "entries": [{ "migration", "ruleId", "fingerprint", ... }] }.', { file: path });
  }
  for (const e of entries as BaselineEntry[]) {
    if (e.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(e.expires)) {
      throw new MigrationLintError("config", `Baseline entry ${e.fingerprint}: "expires" must be a date like 2025-12-31.`, { file: path, line: lineOf(text, e.fingerprint) });
    }
  }
  return { path, text, entries: entries as BaselineEntry[] };
}

/** Writes today's findings, keeping reason/expires/ticket of entries that still match. */
export async function writeBaseline(path: string, results: LintResult[], previous: Baseline | null): Promise<number> {
  const old = new Map((previous?.entries ?? []).map((e) => [keyOf(e), e]));
  const entries: BaselineEntry[] = [];
  const seen = new Set<string>();
  for (const result of results) {
    for (const m of [...result.messages, ...result.suppressedMessages.filter((s) => s.suppressions?.some((x) => x.kind === "baseline"))]) {
      if (m.fatal || !m.ruleId || !m.migration) continue;
      const key = keyOf(m);
      if (seen.has(key)) continue;
      seen.add(key);
      const kept = old.get(key);
      entries.push({
        migration: m.migration,
        ruleId: m.ruleId,
        fingerprint: m.fingerprint,
        message: m.message,
        ...(kept?.reason ? { reason: kept.reason } : {}),
        ...(kept?.expires ? { expires: kept.expires } : {}),
        ...(kept?.ticket ? { ticket: kept.ticket } : {}),
      });
    }
  }
  if (!previous && headOf(path, 1)?.length) {
    // only a baseline is ever overwritten (`--no-baseline --write-baseline` reads none first)
    try {
      readBaseline(path);
    } catch {
      throw new MigrationLintError("usage", "Refusing to write the baseline (--write-baseline) over this file: it exists and is not a migration-lint baseline. Choose another path with --baseline.", { file: path });
    }
  }
  // whole or not at all: a disk that fills part-way must not leave a truncated baseline that the next run refuses
  writeFileAtomically(path, baselineText(entries), "the baseline");
  return entries.length;
}

/** A baseline file's text: entries in code-unit order (not the locale's: the file must not churn between machines). */
function baselineText(entries: BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareCodeUnits(a.migration, b.migration) || compareCodeUnits(a.ruleId, b.ruleId) || compareCodeUnits(a.fingerprint, b.fingerprint));
  return `${JSON.stringify({ version: 1, entries: sorted }, null, 2)}\n`;
}

/**
 * The baseline's text with a finding added (the language server's "add to baseline"), from the file's current text
 * (null: no baseline yet). Null when the text is not a baseline (it is not overwritten) or already holds the finding.
 */
export function addToBaseline(text: string | null, message: LintMessage & { ruleId: string; migration: string }): string | null {
  let entries: BaselineEntry[] = [];
  if (text !== null && text.trim() !== "") {
    try {
      const data = JSON.parse(text) as { entries?: unknown };
      if (!Array.isArray(data.entries)) return null;
      entries = data.entries as BaselineEntry[];
    } catch {
      return null;
    }
  }
  if (entries.some((e) => keyOf(e) === keyOf(message))) return null;
  return baselineText([...entries, { migration: message.migration, ruleId: message.ruleId, fingerprint: message.fingerprint, message: message.message }]);
}

/**
 * Moves findings the baseline accepts into `suppressed`; reports expired
 * entries (their findings come back) and stale ones (nothing matched, for a
 * migration that was linted) as findings on the baseline file.
 */
export function applyBaseline(
  byFile: Map<string, LintMessage[]>,
  suppressedByFile: Map<string, LintMessage[]>,
  baseline: Baseline,
  lintedMigrations: Set<string>,
  today: string,
): LintMessage[] {
  const entries = new Map(baseline.entries.map((e) => [keyOf(e), e]));
  const used = new Set<string>();
  const problems: LintMessage[] = [];
  for (const [file, messages] of byFile) {
    const kept: LintMessage[] = [];
    for (const m of messages) {
      const entry = entries.get(keyOf(m));
      if (!entry || m.fatal) {
        kept.push(m);
        continue;
      }
      used.add(keyOf(entry));
      if (entry.expires && entry.expires < today) {
        kept.push(m);
        problems.push(baselineFinding(baseline, entry, "baseline-expired", 1, `Baseline entry for ${entry.ruleId} in ${entry.migration} expired on ${entry.expires}; its finding is reported again. Fix it or extend the date.`));
        continue;
      }
      const list = suppressedByFile.get(file) ?? [];
      list.push({ ...m, suppressions: [{ kind: "baseline", justification: [entry.reason, entry.ticket].filter(Boolean).join(" ") }] });
      suppressedByFile.set(file, list);
    }
    byFile.set(file, kept);
  }
  for (const entry of baseline.entries) {
    if (used.has(keyOf(entry)) || !lintedMigrations.has(entry.migration)) continue;
    problems.push(baselineFinding(baseline, entry, "baseline-stale", 1, `Stale baseline entry: ${entry.migration} no longer has this ${entry.ruleId} finding. Remove the entry (or rerun --write-baseline).`));
  }
  return problems;
}

function baselineFinding(baseline: Baseline, entry: BaselineEntry, ruleId: string, severity: 1 | 2, message: string): LintMessage {
  const line = lineOf(baseline.text, entry.fingerprint) ?? 1;
  return { ruleId, severity, message, line, column: 1, endLine: line, endColumn: 1, fingerprint: fingerprint([ruleId, keyOf(entry)]), migration: entry.migration };
}

function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}
