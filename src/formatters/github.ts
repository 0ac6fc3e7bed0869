/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the
 * pull request's diff.
 *
 *   ::error file=prisma/migrations/x/migration.sql,line=3,col=1,endLine=3,endColumn=20,title=destructive-change::Drops table ...
 *
 * Paths are relative to the repository root (`context.repositoryRoot`, else `cwd`), as GitHub reads
 * them, whichever folder the linter ran in. GitHub shows at
 * most 10 errors and 10 warnings per step (50 per job) as annotations; the
 * rest stay in the log.
 */
import type { LintMessage } from "../engine/results.js";
import type { Formatter } from "./types.js";
import { relativePath, reportRoot, ruleIdOf, showControls, spanOf } from "./util.js";

/** Escapes the message part, as @actions/core's `escapeData`. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value, as @actions/core's `escapeProperty`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(file: string, m: LintMessage): string {
  const span = spanOf(m);
  const props: Array<[string, string | number]> = [
    ["file", file],
    ["line", span.line],
  ];
  // GitHub takes columns only for single-line annotations
  const singleLine = !span.end || span.end.line === span.line;
  if (singleLine) props.push(["col", span.column]);
  if (span.end) {
    props.push(["endLine", span.end.line]);
    if (singleLine) props.push(["endColumn", span.end.column]);
  }
  props.push(["title", ruleIdOf(m)]);
  const level = m.fatal || m.severity === 2 ? "error" : "warning";
  // other control characters are shown escaped; CR and LF become GitHub's %0D and %0A, so one finding is one line
  const text = [m.message, m.help, m.fingerprint ? `id: ${m.fingerprint}` : ""].filter(Boolean).join("\n");
  const shown = (value: string) => showControls(value, { keepLineBreaks: true });
  return `::${level} ${props.map(([key, value]) => `${key}=${escapeProperty(shown(String(value)))}`).join(",")}::${escapeData(shown(text))}`;
}

const github: Formatter = (results, context) => {
  const lines: string[] = [];
  for (const result of results) {
    const file = relativePath(reportRoot(context), result.filePath);
    for (const m of result.messages) lines.push(command(file, m));
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
};

export default github;
