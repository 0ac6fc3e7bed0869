/**
 * A Markdown report for a pull request comment (`markdown`, at most 65,536 characters) or
 * `$GITHUB_STEP_SUMMARY` (`markdown-summary`, at most 1 MiB): totals, counts per rule, and a table of
 * findings linked to the rule docs, the newest migration first, cut with a note when it would not fit.
 */
import path from "node:path";
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

/** GitHub's limit for a comment body (an issue or pull request comment): 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit for a step's `$GITHUB_STEP_SUMMARY`: 1 MiB (in bytes; the report is measured in UTF-8). */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/** The migration a file belongs to (its folder's name, which starts with its timestamp), or "" for a schema or other file. */
const migrationOf = (filePath: string) => (/^(?:migration|down)\.sql$/.test(path.basename(filePath)) ? path.basename(path.dirname(filePath)) : "");

/**
 * A Markdown report of at most `limit` (measured by `size`): the totals and the findings per rule first, then one
 * row a finding, the newest migration first (what a pull request adds), files that are no migration (the schema)
 * before them. Rows that do not fit are left out, and a last line says how many, of which severity, and where the
 * whole report is.
 */
export function markdownReport(limit: number, size: (text: string) => number, unit: string, fullReport: string): Formatter {
  return (results, context) => {
    let errors = 0;
    let warnings = 0;
    let suppressed = 0;
    const rows: Array<{ row: string; isError: boolean }> = [];
    const perRule = new Map<string, { errors: number; warnings: number; docsUrl?: string }>();

    const ordered = [...results].sort((a, b) => {
      const [x, y] = [migrationOf(a.filePath), migrationOf(b.filePath)];
      return x === y ? 0 : x === "" ? -1 : y === "" ? 1 : x < y ? 1 : -1;
    });
    for (const result of ordered) {
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
        rows.push({ row: `| ${codeCell(`${file}:${spanOf(m).line}`)} | ${severityText(m)} | ${ruleCell(m)} | ${escapeCell(m.message)} | ${m.fingerprint ? codeCell(m.fingerprint) : ""} |`, isError });
      }
    }

    const total = errors + warnings;
    const suppressedNote = suppressed ? `${plural(suppressed, "suppressed finding")} not shown.` : "";
    if (!total) return ["## migration-lint", "", "No problems found.", ...(suppressedNote ? ["", suppressedNote] : []), ""].join("\n");

    const byRule = [...perRule].sort(([a, x], [b, y]) => y.errors + y.warnings - (x.errors + x.warnings) || (a < b ? -1 : a > b ? 1 : 0));
    const head = [
      `## migration-lint: ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`,
      "",
      "| Rule | Errors | Warnings |",
      "| --- | ---: | ---: |",
      ...byRule.map(([id, c]) => `| ${c.docsUrl ? `[${escapeCell(id)}](${linkTarget(c.docsUrl)})` : escapeCell(id)} | ${c.errors} | ${c.warnings} |`),
      ...(suppressedNote ? ["", suppressedNote] : []),
      "",
      "### Findings, newest migration first",
      "",
      "| Location | Severity | Rule | Message | Id |",
      "| --- | --- | --- | --- | --- |",
    ].join("\n");
    const cutNote = (left: typeof rows) => {
      const leftErrors = left.filter((r) => r.isError).length;
      return `\n\n**${plural(left.length, "more finding")} not shown** (${plural(leftErrors, "error")}, ${plural(left.length - leftErrors, "warning")}, in older migrations): the report is cut to ${limit.toLocaleString("en-US")} ${unit}. ${fullReport}\n`;
    };
    let text = head;
    let used = size(head);
    // room for the note that rows were left out: its length with every row left out is the most it takes
    const noteRoom = size(cutNote(rows));
    for (const [i, { row }] of rows.entries()) {
      const next = size(row) + 1;
      const reserve = i + 1 < rows.length ? noteRoom : 1;
      if (used + next + reserve > limit) return text + cutNote(rows.slice(i));
      text += `\n${row}`;
      used += next;
    }
    return `${text}\n`;
  };
}

/** The pull request comment: at most GitHub's 65,536 characters. */
const markdown = markdownReport(COMMENT_LIMIT, (text) => text.length, "characters, the most a pull request comment holds", "The whole report is in the job summary of the workflow run (the GitHub Action writes it with `--format markdown-summary`), or run migration-lint locally.");

export default markdown;
