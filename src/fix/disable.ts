/**
 * "Disable for this statement" as a suggestion (issue 17): a `migration-lint-disable-next-line <rule> -- <reason>`
 * directive (src/engine/directives.ts) above the statement the finding is in, with a reason placeholder a person
 * must replace. For the language server's code action and `--apply-suggestion <id>:disable`; only for migrations
 * not applied anywhere, as every edit.
 */
import type { DialectId } from "../dialects/dialect.js";
import { lineBreakOf } from "../engine/fixer.js";
import type { Fix, LintMessage, Suggestion } from "../engine/results.js";
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
  const fix = statement ? disableDirectiveFix(source.text, statement.range.start, message.ruleId) : null;
  return fix ? { desc: `Disable ${message.ruleId} for this statement (write the reason in the directive)`, fix } : null;
}

/**
 * The directive's edit for the statement starting at `statementStart` in `text` (BOM removed): its own line above the
 * statement, with the statement's indent and the file's line break; null when the statement does not start its line
 * (a directive between two statements on one line would cover the wrong one). The language server's code action uses it too.
 */
export function disableDirectiveFix(text: string, statementStart: number, ruleId: string): Fix | null {
  const lineStart = text.lastIndexOf("\n", statementStart - 1) + 1;
  const lineStartCr = Math.max(lineStart, text.lastIndexOf("\r", statementStart - 1) + 1);
  if (text.slice(lineStartCr, statementStart).trim() !== "") return null;
  const indent = /^[ \t]*/.exec(text.slice(lineStartCr))![0];
  return { range: [lineStartCr, lineStartCr], text: `${indent}-- migration-lint-disable-next-line ${ruleId} -- ${REASON_PLACEHOLDER}${lineBreakOf(text)}` };
}
