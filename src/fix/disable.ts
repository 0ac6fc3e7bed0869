/**
 * "Disable for this statement" as a suggestion (issue 17): a `migration-lint-disable-next-line <rule> -- <reason>`
 * directive (src/engine/directives.ts) above the statement the finding is in, with a reason placeholder a person
 * must replace. For the language server's code action and `--apply-suggestion <id>:disable`; only for migrations
 * not applied anywhere, as every edit.
 */
import type { DialectId } from "../dialects/dialect.js";
import { lineBreakOf } from "../engine/fixer.js";
import type { LintMessage, Suggestion } from "../engine/results.js";
import { SourceText } from "../parse/source-text.js";

/** What the directive says until a person writes the reason (directives need one: `requireDisableReason`). */
export const REASON_PLACEHOLDER = "REASON: say why this is safe here";

/** The directive's edit for a finding in `text` (a migration.sql, BOM or not), or null for an engine finding or one outside any statement. */
export async function disableSuggestion(text: string, message: LintMessage, dialect: DialectId): Promise<Suggestion | null> {
  if (!message.ruleId || ["parse-error", "file-error", "internal-error", "invalid-directive", "unused-directive"].includes(message.ruleId)) return null;
  const { loadDialect } = await import("../dialects/index.js");
  const source = new SourceText(text);
  const parsed = await (await loadDialect(dialect)).parseFile("migration.sql", source.text);
  const at = source.offsetAt(message.line, message.column);
  const statement = parsed.statements.find((s) => s.range.start <= at && at <= s.range.end);
  if (!statement) return null;
  const lineStart = source.text.lastIndexOf("\n", statement.range.start - 1) + 1;
  const lineStartCr = Math.max(lineStart, source.text.lastIndexOf("\r", statement.range.start - 1) + 1);
  const indent = /^[ \t]*/.exec(source.text.slice(lineStartCr))![0];
  // only when the statement starts its line: a directive between two statements on one line would cover the wrong one
  if (source.text.slice(lineStartCr, statement.range.start).trim() !== "") return null;
  return {
    desc: `Disable ${message.ruleId} for this statement (write the reason in the directive)`,
    fix: { range: [lineStartCr, lineStartCr], text: `${indent}-- migration-lint-disable-next-line ${message.ruleId} -- ${REASON_PLACEHOLDER}${lineBreakOf(source.text)}` },
  };
}
