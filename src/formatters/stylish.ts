/**
 * ESLint's stylish layout, plus what a migration reviewer needs under each
 * finding: the SQL line with a caret under the exact clause, and the fix.
 */
import path from "node:path";
import { Chalk } from "chalk";
import type { LintMessage } from "../engine/results.js";
import type { Formatter } from "./types.js";

const MAX_CARET_LINE = 160;

const stylish: Formatter = (results, context) => {
  const c = new Chalk({ level: context.color ? 1 : 0 });
  let errors = 0;
  let warnings = 0;
  const out: string[] = [];

  for (const result of results) {
    if (!result.messages.length) continue;
    errors += result.errorCount;
    warnings += result.warningCount;
    out.push("", c.underline(path.relative(context.cwd, result.filePath) || result.filePath));
    const source = context.sourceOf(result.filePath);
    const lines = source?.split(/\r\n|\n|\r/);
    const width = Math.max(...result.messages.map((m) => `${m.line}:${m.column}`.length));
    for (const m of result.messages) {
      const severity = m.severity === 2 ? c.red("error".padEnd(7)) : c.yellow("warning");
      const position = c.dim(`${m.line}:${m.column}`.padEnd(width));
      out.push(`  ${position}  ${severity}  ${m.message}  ${c.dim(m.ruleId ?? "")}`);
      const indent = " ".repeat(width + 4);
      out.push(...sourceExcerpt(m, lines, indent, c));
      if (m.help) out.push(`${indent}${c.cyan("help:")} ${m.help}`);
      // the stable id (also in every other format) is what the baseline and suppression reviews refer to
      out.push(`${indent}${c.dim([m.docsUrl ? `docs: ${m.docsUrl}` : "", `id: ${m.fingerprint}`].filter(Boolean).join("  "))}`);
    }
  }

  const total = errors + warnings;
  if (total === 0) return "";
  const summary = `✖ ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`;
  out.push("", (errors ? c.red.bold(summary) : c.yellow.bold(summary)), "");
  return out.join("\n");
};

function sourceExcerpt(m: LintMessage, lines: string[] | undefined, indent: string, c: InstanceType<typeof Chalk>): string[] {
  const text = lines?.[m.line - 1];
  if (text === undefined || !text.trim()) return [];
  const shown = text.length > MAX_CARET_LINE ? text.slice(0, MAX_CARET_LINE) + "…" : text;
  const start = Math.min(m.column - 1, shown.length);
  const end = m.endLine === m.line ? Math.min(m.endColumn - 1, shown.length) : shown.length;
  // keep tabs in the padding so the caret lines up under tab-indented SQL
  const caret = shown.slice(0, start).replace(/[^\t]/g, " ") + "^".repeat(Math.max(1, end - start));
  return [`${indent}${c.dim("│")} ${shown}`, `${indent}${c.dim("│")} ${m.severity === 2 ? c.red(caret) : c.yellow(caret)}`];
}

export default stylish;
