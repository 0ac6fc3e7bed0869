/**
 * Inline suppressions in SQL comments, for migrations not yet applied:
 *
 *   -- migration-lint-disable-next-line <rule>[, <rule>] -- <reason>
 *   -- migration-lint-disable <rule> -- <reason>   ...   -- migration-lint-enable <rule>
 *   -- migration-lint-disable-file <rule> -- <reason>
 *
 * No rule list means every rule. `disable-next-line` covers the next
 * statement (all of its lines), since a finding points at the clause inside
 * it. A reason after ` -- ` is required unless configured otherwise; a
 * directive without one, or naming an unknown rule, suppresses nothing and is
 * reported as `invalid-directive`.
 */
import type { ParsedSqlFile, SqlComment } from "../types.js";
import { fingerprint, lineColumns } from "./linter.js";
import type { LintMessage } from "./results.js";

export type DirectiveKind = "disable-next-line" | "disable" | "enable" | "disable-file";

export interface Directive {
  kind: DirectiveKind;
  /** Rule ids; empty = all rules. */
  rules: string[];
  reason: string | null;
  comment: SqlComment;
  /** Lines (inclusive) the directive covers; `enable` has none. */
  from: number;
  to: number;
  used: boolean;
}

const DIRECTIVE = /^\s*migration-lint-(disable-next-line|disable-file|disable|enable)(?=\s|$)(.*)$/s;

export function parseDirectives(file: ParsedSqlFile): Directive[] {
  const directives: Directive[] = [];
  const lastLine = file.rangeOf(file.text.length, file.text.length).loc.end.line;
  const open = new Map<string, Directive>(); // rule ("*" = all) -> open range
  for (const comment of file.comments) {
    const m = DIRECTIVE.exec(comment.text);
    if (!m) continue;
    const kind = m[1] as DirectiveKind;
    const [ruleText, ...reasonParts] = m[2]!.split(/\s--\s?/);
    const reason = reasonParts.join(" -- ").trim() || null;
    const rules = (ruleText ?? "").split(",").map((r) => r.trim()).filter(Boolean);
    const line = comment.range.loc.end.line;
    const directive: Directive = { kind, rules, reason, comment, from: line, to: line, used: false };
    if (kind === "disable-next-line") {
      const next = file.statements.find((s) => s.range.start >= comment.range.end);
      directive.from = line + 1;
      directive.to = next ? Math.max(next.range.loc.end.line, line + 1) : line + 1;
    } else if (kind === "disable-file") {
      directive.from = 1;
      directive.to = lastLine;
    } else if (kind === "disable") {
      directive.to = lastLine;
      for (const rule of rules.length ? rules : ["*"]) open.set(rule, directive);
    } else {
      for (const rule of rules.length ? rules : [...open.keys()]) {
        const started = open.get(rule);
        if (started) started.to = Math.min(started.to, line);
        open.delete(rule);
      }
    }
    directives.push(directive);
  }
  return directives;
}

/**
 * Drops what directives will not need from a file that has been linted: the
 * comments that are not directives, and every statement but the one after a
 * `disable-next-line` (kept without its operations). On long histories the
 * statements, operations and source ranges of every file were most of what
 * a run kept alive. `applyDirectives` gives the same answer after this.
 */
export function keepOnlyDirectiveData(file: ParsedSqlFile): void {
  const comments = file.comments.filter((c) => DIRECTIVE.test(c.text));
  const statements: ParsedSqlFile["statements"] = [];
  for (const comment of comments) {
    if (DIRECTIVE.exec(comment.text)?.[1] !== "disable-next-line") continue;
    const next = file.statements.find((s) => s.range.start >= comment.range.end);
    if (next && !statements.includes(next)) statements.push(next);
  }
  for (const statement of statements) {
    statement.node = null;
    statement.operations = [];
    statement.leadingComments = [];
  }
  file.comments = comments;
  file.statements = statements;
}

export interface DirectiveOptions {
  requireReason: boolean;
  knownRules: Set<string>;
  /** Severity of `unused-directive` findings; 0 = do not report. */
  reportUnused: 0 | 1 | 2;
  migration: string;
}

/**
 * Moves suppressed messages out of `messages` (into the returned list, with
 * ESLint's `suppressions` field) and adds findings about the directives.
 */
export function applyDirectives(file: ParsedSqlFile, messages: LintMessage[], options: DirectiveOptions): { kept: LintMessage[]; suppressed: LintMessage[] } {
  const directives = parseDirectives(file);
  if (!directives.length) return { kept: messages, suppressed: [] };
  const problems: LintMessage[] = [];
  const active: Directive[] = [];
  for (const d of directives) {
    if (d.kind === "enable") continue;
    const unknown = d.rules.filter((r) => !options.knownRules.has(r));
    const problem = unknown.length
      ? `names unknown rule${unknown.length > 1 ? "s" : ""} ${unknown.map((r) => `"${r}"`).join(", ")}`
      : options.requireReason && !d.reason
        ? 'has no reason: write one after " -- ", e.g. `-- migration-lint-disable-next-line destructive-change -- column unused since v2.3, backed up in ticket OPS-12`'
        : null;
    if (problem) {
      problems.push(directiveFinding(d, "invalid-directive", 2, `This migration-lint-${d.kind} directive ${problem}; it suppresses nothing.`, options.migration));
      continue;
    }
    active.push(d);
  }

  const kept: LintMessage[] = [];
  const suppressed: LintMessage[] = [];
  for (const message of messages) {
    const by = message.fatal || !message.ruleId ? undefined : active.find((d) => (!d.rules.length || d.rules.includes(message.ruleId!)) && message.line >= d.from && message.line <= d.to);
    if (!by) {
      kept.push(message);
      continue;
    }
    by.used = true;
    suppressed.push({ ...message, suppressions: [{ kind: "directive", justification: by.reason ?? "" }] });
  }
  if (options.reportUnused) {
    for (const d of active) {
      if (!d.used) problems.push(directiveFinding(d, "unused-directive", options.reportUnused, `Unused migration-lint-${d.kind} directive${d.rules.length ? ` (no ${d.rules.join(", ")} finding to suppress here)` : ""}. Remove it.`, options.migration));
    }
  }
  return { kept: [...kept, ...problems], suppressed };
}

/** Applies every linted migration's directives: kept messages stay in `byFile`, suppressed ones go to `suppressedByFile`. */
export function applyAllDirectives(
  linted: Array<{ file: ParsedSqlFile | null; entry: { name: string } }>,
  byFile: Map<string, LintMessage[]>,
  suppressedByFile: Map<string, LintMessage[]>,
  options: Omit<DirectiveOptions, "migration">,
): void {
  for (const m of linted) {
    if (!m.file) continue;
    const { kept, suppressed } = applyDirectives(m.file, byFile.get(m.file.path) ?? [], { ...options, migration: m.entry.name });
    byFile.set(m.file.path, kept);
    if (suppressed.length) suppressedByFile.set(m.file.path, suppressed);
  }
}

function directiveFinding(d: Directive, ruleId: string, severity: 1 | 2, message: string, migration: string): LintMessage {
  return {
    ruleId,
    severity,
    message,
    ...lineColumns(d.comment.range),
    fingerprint: fingerprint([migration, ruleId, d.comment.text.trim()]),
    migration,
  };
}
