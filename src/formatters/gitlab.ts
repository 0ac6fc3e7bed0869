/**
 * GitLab Code Quality report (a subset of the Code Climate issue format):
 * findings show in the merge request widget and on the diff.
 *
 * Paths are relative to the repository root (`context.repositoryRoot`, else `cwd`). The fingerprint
 * is the finding's own id hashed with its path, so an issue keeps it across
 * runs and pipelines while the finding is unchanged.
 */
import { createHash } from "node:crypto";
import type { LintMessage } from "../engine/results.js";
import type { Formatter } from "./types.js";
import { escapeJsonControls, relativePath, reportRoot, ruleIdOf, spanOf } from "./util.js";

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  location: { path: string; lines: { begin: number; end: number } };
}

const severityOf = (m: LintMessage): CodeQualityIssue["severity"] => (m.fatal ? "critical" : m.severity === 2 ? "major" : "minor");

const gitlab: Formatter = (results, context) => {
  const issues: CodeQualityIssue[] = [];
  const seen = new Map<string, number>();
  for (const result of results) {
    const file = relativePath(reportRoot(context), result.filePath);
    for (const m of result.messages) {
      const span = spanOf(m);
      // GitLab merges issues that share a fingerprint: keep a (theoretical) duplicate apart
      const key = `${file}\0${m.fingerprint}\0${ruleIdOf(m)}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const fingerprint = createHash("md5")
        .update(n ? `${key}\0${n}` : key)
        .digest("hex");
      issues.push({
        description: m.message,
        check_name: ruleIdOf(m),
        fingerprint,
        severity: severityOf(m),
        location: { path: file, lines: { begin: span.line, end: span.end?.line ?? span.line } },
      });
    }
  }
  return `${escapeJsonControls(JSON.stringify(issues, null, 2))}\n`;
};

export default gitlab;
