/**
 * ESLint's stylish layout, plus what a migration reviewer needs under each
 * finding: the SQL line with a caret under the exact clause, and the fix.
 */
import path from "node:path";
import { Chalk } from "chalk";
import type { LintMessage } from "../engine/results.js";
import type { Formatter } from "./types.js";
import { showControls } from "./util.js";

const MAX_CARET_LINE = 160;

/** Each tab as four spaces (a raw tab is a control character in the output; caret and text expand alike). */
const expandTabs = (text: string) => text.replace(/\t/g, "    ");

/** A line that would start with `::` is a GitHub Actions workflow command in a CI log: indent it. */
const safeLineStart = (line: string) => (line.startsWith("::") ? ` ${line}` : line);

const stylish: Formatter = (results, context) => {
  const c = new Chalk({ level: context.color ? 1 : 0 });
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  const out: string[] = [];

  for (const result of results) {
    if (!result.messages.length) continue;
    errors += result.errorCount;
    warnings += result.warningCount;
    fixableErrors += result.fixableErrorCount;
    fixableWarnings += result.fixableWarningCount;
    out.push("", c.underline(safeLineStart(showControls(path.relative(context.cwd, result.filePath) || result.filePath))));
    const source = context.sourceOf(result.filePath);
    const lines = source?.split(/\r\n|\n|\r/);
    const width = Math.max(...result.messages.map((m) => `${m.line}:${m.column}`.length));
    for (const m of result.messages) {
      const severity = m.severity === 2 ? c.red("error".padEnd(7)) : c.yellow("warning");
      const position = c.dim(`${m.line}:${m.column}`.padEnd(width));
      out.push(`  ${position}  ${severity}  ${showControls(m.message)}  ${c.dim(showControls(m.ruleId ?? ""))}`);
      const indent = " ".repeat(width + 4);
      out.push(...sourceExcerpt(m, lines, indent, c));
      if (m.help) out.push(`${indent}${c.cyan("help:")} ${showControls(m.help)}`);
      // suggestions are never applied by --fix: each says how to apply it on purpose
      for (const [i, s] of (m.suggestions ?? []).entries()) out.push(`${indent}${c.cyan("suggestion:")} ${showControls(s.desc)} ${c.dim(`(--apply-suggestion ${showControls(m.fingerprint)}:${i + 1})`)}`);
      // the stable id (also in every other format) is what the baseline and suppression reviews refer to
      out.push(`${indent}${c.dim(showControls([m.docsUrl ? `docs: ${m.docsUrl}` : "", `id: ${m.fingerprint}`].filter(Boolean).join("  ")))}`);
    }
  }

  const total = errors + warnings;
  if (total === 0) return "";
  const summary = `✖ ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`;
  out.push("", (errors ? c.red.bold(summary) : c.yellow.bold(summary)));
  // ESLint's line: what `--fix` would change (only fixes proven to keep the schema are written, see docs/rules)
  if (fixableErrors + fixableWarnings > 0) {
    const fixable = `  ${fixableErrors} error${fixableErrors === 1 ? "" : "s"} and ${fixableWarnings} warning${fixableWarnings === 1 ? "" : "s"} potentially fixable with the \`--fix\` option.`;
    out.push(errors ? c.red.bold(fixable) : c.yellow.bold(fixable));
  }
  out.push("");
  return out.join("\n");
};

function sourceExcerpt(m: LintMessage, lines: string[] | undefined, indent: string, c: InstanceType<typeof Chalk>): string[] {
  const text = lines?.[m.line - 1];
  if (text === undefined || !text.trim()) return [];
  const cut = text.length > MAX_CARET_LINE ? text.slice(0, MAX_CARET_LINE) : text;
  const start = Math.min(m.column - 1, cut.length);
  const end = m.endLine === m.line ? Math.min(m.endColumn - 1, cut.length) : cut.length;
  // shown with tabs expanded and controls escaped; the caret is measured on the shown text so it still lines up
  const show = (part: string) => showControls(expandTabs(part));
  const before = show(cut.slice(0, start));
  const marked = show(cut.slice(start, end));
  const shown = before + marked + show(cut.slice(end)) + (cut.length < text.length ? "…" : "");
  const caret = " ".repeat(before.length) + "^".repeat(Math.max(1, marked.length));
  return [`${indent}${c.dim("│")} ${shown}`, `${indent}${c.dim("│")} ${m.severity === 2 ? c.red(caret) : c.yellow(caret)}`];
}

export default stylish;
