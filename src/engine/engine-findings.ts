/**
 * Findings the engine reports itself, not a rule module: each id can be set in `rules` like a rule's
 * (`{ "parse-error": "warn" }`), and has a page under docs/rules/. The ones that say a file, statement,
 * rule or replay was not checked cannot be switched off: a run must never look clean because it checked less.
 */
import { messageCounts, type LintResult } from "./results.js";

export interface EngineFinding {
  id: string;
  description: string;
  /** Severity when the config does not set one ("by context": the engine picks per finding, e.g. from a CLI flag). */
  defaultSeverity: "error" | "warn" | "by context";
  /** Why it cannot be switched off, or null when it can. */
  alwaysOn: string | null;
}

const NOT_CHECKED = "it is how migration-lint says that something was not checked";

export const ENGINE_FINDINGS: EngineFinding[] = [
  { id: "parse-error", defaultSeverity: "error", alwaysOn: `${NOT_CHECKED} (a statement, schema file or migration_lock.toml it could not parse)`, description: "A statement, schema file or migration_lock.toml that does not parse, or a file that is not UTF-8; the rest is still linted." },
  { id: "file-error", defaultSeverity: "error", alwaysOn: `${NOT_CHECKED} (a migration folder without a readable migration.sql)`, description: "A migration folder without a readable migration.sql." },
  { id: "internal-error", defaultSeverity: "error", alwaysOn: `${NOT_CHECKED} (a rule that crashed, ran past its time budget or hung, and was skipped)`, description: "A rule that crashed, ran past its time budget or hung; it is skipped and everything else is still linted." },
  { id: "replay-failed", defaultSeverity: "by context", alwaysOn: `${NOT_CHECKED} (with --replay, the migrations after a failed one are not applied)`, description: "With --replay: a migration that Postgres refused to apply (or a replay that could not run)." },
  { id: "invalid-directive", defaultSeverity: "error", alwaysOn: null, description: "A migration-lint-disable comment without the required reason or naming an unknown rule; it suppresses nothing." },
  { id: "unused-directive", defaultSeverity: "by context", alwaysOn: null, description: "With --report-unused-disable-directives: a disable comment that suppresses nothing." },
  { id: "baseline-expired", defaultSeverity: "warn", alwaysOn: null, description: "A baseline entry past its `expires` date; its finding is reported again." },
  { id: "baseline-stale", defaultSeverity: "warn", alwaysOn: null, description: "A baseline entry that matches no finding any more." },
  { id: "rollback-mismatch", defaultSeverity: "error", alwaysOn: null, description: "With --replay: a down.sql that does not restore the schema from before its migration." },
  { id: "schema-drift", defaultSeverity: "error", alwaysOn: null, description: "With --replay or --drift-only: the database the migrations build differs from schema.prisma." },
  { id: "lock-trace", defaultSeverity: "warn", alwaysOn: null, description: "With --replay: a lock a statement really took on an existing table, measured on Postgres." },
];

export const ENGINE_IDS = new Map(ENGINE_FINDINGS.map((f) => [f.id, f]));

/**
 * Applies the severities the config set for engine findings: a new severity, or (for the ones that may be
 * switched off) removal. Counts are recomputed; the results are changed in place, their messages are not (a message
 * given a new severity is a copy): a resident process's history hands the same cached messages to every run.
 */
export function applyEngineSeverities(results: LintResult[], severities: Record<string, 0 | 1 | 2>): void {
  if (!Object.keys(severities).length) return;
  for (const result of results) {
    result.messages = result.messages
      .filter((m) => severities[m.ruleId ?? ""] !== 0)
      .map((m) => {
        const severity = severities[m.ruleId ?? ""];
        return severity && severity !== m.severity ? { ...m, severity } : m;
      });
    ({ errorCount: result.errorCount, warningCount: result.warningCount, fatalErrorCount: result.fatalErrorCount } = messageCounts(result.messages));
  }
}
