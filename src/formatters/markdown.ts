/**
 * A Markdown report for a pull request comment or `$GITHUB_STEP_SUMMARY`:
 * totals, a table of findings linked to the rule docs, and counts per rule.
 */
import type { LintMessage } from "../engine/results.js";
import type { Formatter } from "./types.js";
import { plural, relativePath, reportRoot, ruleIdOf, showControls, spanOf } from "./util.js";

/**
 * Makes text safe inside a table cell: pipes and line breaks would end the cell or row (a line break
 * becomes <br>), HTML would be rendered, Markdown punctuation would format, control characters are shown
 * escaped, and an `@name` (a SQL identifier such as "@admin") would notify that GitHub user or team: it
 * is shown as code, which GitHub does not link.
 */
export function escapeCell(text: string): string {
  return text.split(/\r\n|\r|\n/).map(escapeLine).join("<br>");
}

const MENTION = /(^|[^\w`@])@([A-Za-z0-9][\w-]*(?:\/[\w.-]+)?)/g;

function escapeLine(line: string): string {
  let out = "";
  let last = 0;
  for (const m of line.matchAll(MENTION)) {
    const at = m.index + m[1]!.length;
    out += escapeInline(line.slice(last, at)) + `\`@${m[2]}\``;
    last = at + 1 + m[2]!.length;
  }
  return out + escapeInline(line.slice(last));
}

const escapeInline = (text: string) =>
  showControls(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);

/** A file position as inline code (no Markdown, HTML or mention inside it, only the table's pipes to escape). */
function codeCell(text: string): string {
  const shown = showControls(text);
  return shown.includes("`") ? escapeCell(text) : `\`${shown.replace(/\|/g, "\\|")}\``;
}

/** A URL inside `(...)` of a link: only characters that would end it, and control characters, are encoded. */
const linkTarget = (url: string) => url.replace(/[\s()<>\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => encodeURIComponent(c));

function ruleCell(m: LintMessage): string {
  const id = escapeCell(ruleIdOf(m));
  return m.docsUrl ? `[${id}](${linkTarget(m.docsUrl)})` : id;
}

const severityText = (m: LintMessage) => (m.fatal ? "Fatal error" : m.severity === 2 ? "Error" : "Warning");

const markdown: Formatter = (results, context) => {
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  const rows: string[] = [];
  const perRule = new Map<string, { errors: number; warnings: number; docsUrl?: string }>();

  for (const result of results) {
    const file = relativePath(reportRoot(context), result.filePath);
    suppressed += result.suppressedMessages?.length ?? 0;
    for (const m of result.messages) {
      const isError = m.fatal || m.severity === 2;
      if (isError) errors++;
      else warnings++;
      const id = ruleIdOf(m);
      const counts = perRule.get(id) ?? { errors: 0, warnings: 0 };
      if (isError) counts.errors++;
      else counts.warnings++;
      counts.docsUrl ??= m.docsUrl;
      perRule.set(id, counts);
      rows.push(`| ${codeCell(`${file}:${spanOf(m).line}`)} | ${severityText(m)} | ${ruleCell(m)} | ${escapeCell(m.message)} | ${m.fingerprint ? codeCell(m.fingerprint) : ""} |`);
    }
  }

  const total = errors + warnings;
  const suppressedNote = suppressed ? `${plural(suppressed, "suppressed finding")} not shown.` : "";
  if (!total) return ["## migration-lint", "", "No problems found.", ...(suppressedNote ? ["", suppressedNote] : []), ""].join("\n");

  const byRule = [...perRule].sort(([a, x], [b, y]) => y.errors + y.warnings - (x.errors + x.warnings) || (a < b ? -1 : a > b ? 1 : 0));
  return [
    `## migration-lint: ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`,
    "",
    "| Location | Severity | Rule | Message | Id |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "### Findings per rule",
    "",
    "| Rule | Errors | Warnings |",
    "| --- | ---: | ---: |",
    ...byRule.map(([id, c]) => `| ${c.docsUrl ? `[${escapeCell(id)}](${linkTarget(c.docsUrl)})` : escapeCell(id)} | ${c.errors} | ${c.warnings} |`),
    ...(suppressedNote ? ["", suppressedNote] : []),
    "",
  ].join("\n");
};

export default markdown;
