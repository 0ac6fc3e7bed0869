/**
 * Data-driven rule tests, like ESLint's RuleTester: each case is a history
 * of migrations (the last one is linted) and the findings it must produce.
 * Works with any test framework that provides global `describe` and `it`
 * (vitest with globals, jest, mocha); `runRuleCases` works without one.
 */
import path from "node:path";
import type { RuleModule } from "../engine/rule.js";
import type { LintMessage } from "../engine/results.js";
import { applyFixesToSource } from "../engine/fixer.js";
import type { MigrationLintConfig } from "../config/types.js";
import { lintText } from "../api/lint-text.js";

export interface RuleTestCase {
  /** Why the case matters (shown as the test name). */
  name?: string;
  /** The migration.sql under test. */
  sql: string;
  /** Earlier migrations, applied first (they build the history). */
  history?: string[];
  options?: Record<string, unknown>;
  /** Other config (e.g. postgresVersion). */
  config?: Omit<MigrationLintConfig, "rules" | "extends">;
  schema?: string;
  prismaVersion?: string;
  /** `provider` of migration_lock.toml. */
  lockProvider?: string;
  /** Folder name of the linted migration after its timestamp (default `m<n>`), e.g. `rename_data_to_input`. */
  migrationName?: string;
}

/** A suggestion a finding must offer (ESLint's shape): what it says, and the migration.sql after applying it alone. */
export interface ExpectedSuggestion {
  messageId?: string;
  desc?: string;
  /** The linted migration's text after this suggestion's edit. */
  output: string;
  /** The files it creates, paths relative to the migrations folder (e.g. `20240101000001_m1_1_index/migration.sql`); default: none. */
  files?: Array<{ filePath: string; text: string }>;
}

export interface ExpectedError {
  messageId: string;
  line?: number;
  column?: number;
  endLine?: number;
  message?: string | RegExp;
  /** The suggestions, in order; `null` or `[]`: none. Required when the finding offers any, as in ESLint. */
  suggestions?: ExpectedSuggestion[] | null;
}

export interface InvalidRuleTestCase extends RuleTestCase {
  /** Expected findings in order: messageId and optionally line, column, a message substring and the suggestions. */
  errors: ExpectedError[];
  /**
   * The migration after applying every finding's fix once, as `--fix` does in one pass (ESLint's `output`);
   * `null`: no finding has a fix. Required when a finding has one.
   */
  output?: string | null;
}

export interface RuleCases {
  valid: Array<string | RuleTestCase>;
  invalid: InvalidRuleTestCase[];
}

/** Runs one case and returns the rule's findings (other rules are off). Pass the rule module itself for a rule that is not built in. */
export async function runRuleCase(ruleOrId: string | RuleModule<any>, testCase: RuleTestCase): Promise<LintMessage[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ruleId = typeof ruleOrId === "string" ? ruleOrId : ruleOrId.meta.id;
  const history = testCase.history ?? [];
  const label = (i: number) => (i === history.length && testCase.migrationName ? testCase.migrationName : `m${i}`);
  const migrations = [...history, testCase.sql].map((sql, i) => ({ name: `${String(20240101000000 + i)}_${label(i)}`, sql }));
  const config: MigrationLintConfig = {
    ...(testCase.config ?? {}),
    rules: { [ruleId]: testCase.options ? ["error", testCase.options] : "error" },
  };
  const results = await lintText({
    migrations,
    config,
    ...(typeof ruleOrId === "string" ? {} : { rules: { [ruleId]: ruleOrId } }),
    ...(testCase.schema !== undefined ? { schema: testCase.schema } : {}),
    ...(testCase.prismaVersion ? { prismaVersion: testCase.prismaVersion } : {}),
    ...(testCase.lockProvider ? { lockProvider: testCase.lockProvider } : {}),
  });
  return results.flatMap((r) => r.messages);
}

/** Checks every case; returns a list of failures (empty when all pass). */
export async function runRuleCases(rule: RuleModule<any>, cases: RuleCases): Promise<string[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const failures: string[] = [];
  for (const raw of cases.valid) {
    const testCase = typeof raw === "string" ? { sql: raw } : raw;
    const found = await runRuleCase(rule, testCase);
    if (found.length) failures.push(`valid case ${testCase.name ?? JSON.stringify(testCase.sql.slice(0, 60))} reported: ${found.map((m) => `${m.ruleId}@${m.line}: ${m.message}`).join("; ")}`);
  }
  for (const testCase of cases.invalid) {
    failures.push(...checkInvalid(testCase, await runRuleCase(rule, testCase)));
  }
  return failures;
}

export function checkInvalid(testCase: InvalidRuleTestCase, found: LintMessage[]): string[] {
  const label = testCase.name ?? JSON.stringify(testCase.sql.slice(0, 60));
  // a rule that crashed, or gave a fix or suggestion it did not declare, says so in its internal-error finding
  const internal = found.filter((m) => m.ruleId === "internal-error" && !testCase.errors.some((e) => e.messageId === "internal-error"));
  if (internal.length) return internal.map((m) => `invalid case ${label}: ${m.message}`);
  if (found.length !== testCase.errors.length) {
    return [`invalid case ${label}: expected ${testCase.errors.length} finding(s), got ${found.length}: ${found.map((m) => `${m.messageId ?? m.ruleId}@${m.line}:${m.column}`).join(", ")}`];
  }
  const failures: string[] = [];
  testCase.errors.forEach((expected, i) => {
    const actual = found[i]!;
    const problems: string[] = [];
    if (actual.messageId !== expected.messageId) problems.push(`messageId ${actual.messageId ?? actual.ruleId} != ${expected.messageId}`);
    if (expected.line !== undefined && actual.line !== expected.line) problems.push(`line ${actual.line} != ${expected.line}`);
    if (expected.column !== undefined && actual.column !== expected.column) problems.push(`column ${actual.column} != ${expected.column}`);
    if (expected.endLine !== undefined && actual.endLine !== expected.endLine) problems.push(`endLine ${actual.endLine} != ${expected.endLine}`);
    if (expected.message !== undefined) {
      const ok = typeof expected.message === "string" ? actual.message.includes(expected.message) : expected.message.test(actual.message);
      if (!ok) problems.push(`message "${actual.message}" does not match ${String(expected.message)}`);
    }
    problems.push(...checkSuggestions(testCase, expected, actual));
    if (problems.length) failures.push(`invalid case ${label}, finding ${i + 1}: ${problems.join("; ")}`);
  });
  failures.push(...checkOutput(testCase, found).map((p) => `invalid case ${label}: ${p}`));
  return failures;
}

/** The `output` check: every finding's fix applied once (non-overlapping, as one `--fix` pass), or no fix at all for `null`. */
function checkOutput(testCase: InvalidRuleTestCase, found: LintMessage[]): string[] {
  const fixes = found.flatMap((m) => (m.fix ? [m.fix] : []));
  if (testCase.output === undefined) return fixes.length ? [`the rule fixed the migration; add \`output\` (the migration after --fix) to the case: ${JSON.stringify(applyFixesToSource(testCase.sql, fixes).text)}`] : [];
  if (testCase.output === null) return fixes.length ? [`expected no fix (output: null), got one: ${JSON.stringify(applyFixesToSource(testCase.sql, fixes).text)}`] : [];
  if (testCase.output === testCase.sql) return ["`output` equals `sql`: set output to null when no fix is expected"];
  if (!fixes.length) return [`expected a fix giving ${JSON.stringify(testCase.output)}, the rule gave none`];
  const output = applyFixesToSource(testCase.sql, fixes).text;
  return output === testCase.output ? [] : [`output after --fix differs:\n--- expected\n${testCase.output}\n--- actual\n${output}`];
}

function checkSuggestions(testCase: InvalidRuleTestCase, expected: ExpectedError, actual: LintMessage): string[] {
  const got = actual.suggestions ?? [];
  if (expected.suggestions === undefined) return got.length ? [`the finding offers ${got.length} suggestion(s); add \`suggestions\` to the expected error: ${got.map((s) => JSON.stringify(s.desc)).join(", ")}`] : [];
  const want = expected.suggestions ?? [];
  if (want.length !== got.length) return [`expected ${want.length} suggestion(s), got ${got.length}${got.length ? `: ${got.map((s) => JSON.stringify(s.desc)).join(", ")}` : ""}`];
  const problems: string[] = [];
  // runRuleCase lints a virtual project at the working directory (lintText's default root)
  const migrationsDir = path.join(process.cwd(), "migrations");
  want.forEach((w, i) => {
    const s = got[i]!;
    const at = `suggestion ${i + 1}`;
    if (w.messageId !== undefined && s.messageId !== w.messageId) problems.push(`${at}: messageId ${s.messageId} != ${w.messageId}`);
    if (w.desc !== undefined && s.desc !== w.desc) problems.push(`${at}: desc ${JSON.stringify(s.desc)} != ${JSON.stringify(w.desc)}`);
    const output = applyFixesToSource(testCase.sql, [s.fix]).text;
    if (output !== w.output) problems.push(`${at}: output differs:\n--- expected\n${w.output}\n--- actual\n${output}`);
    const files = (s.files ?? []).map((f) => ({ filePath: path.relative(migrationsDir, f.filePath).split(path.sep).join("/"), text: f.text }));
    const wantFiles = w.files ?? [];
    if (JSON.stringify(files) !== JSON.stringify(wantFiles)) problems.push(`${at}: files differ:\n--- expected\n${JSON.stringify(wantFiles, null, 2)}\n--- actual\n${JSON.stringify(files, null, 2)}`);
  });
  return problems;
}

type Describe = (name: string, fn: () => void) => void;
type It = (name: string, fn: () => Promise<void>) => void;

/** ESLint-style: registers one test per case with the global describe/it. */
export class RuleTester {
  run(rule: RuleModule<any>, cases: RuleCases): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const g = globalThis as unknown as { describe?: Describe; it?: It };
    if (!g.describe || !g.it) throw new Error("RuleTester.run needs global describe/it (vitest globals, jest or mocha); use runRuleCases otherwise.");
    const { describe, it } = g as { describe: Describe; it: It };
    describe(rule.meta.id, () => {
      describe("valid", () => {
        for (const raw of cases.valid) {
          const testCase = typeof raw === "string" ? { sql: raw } : raw;
          it(testCase.name ?? testCase.sql.slice(0, 80), async () => {
            const found = await runRuleCase(rule, testCase);
            if (found.length) throw new Error(`expected no findings, got: ${found.map((m) => `${m.line}:${m.column} ${m.message}`).join("\n")}`);
          });
        }
      });
      describe("invalid", () => {
        for (const testCase of cases.invalid) {
          it(testCase.name ?? testCase.sql.slice(0, 80), async () => {
            const failures = checkInvalid(testCase, await runRuleCase(rule, testCase));
            if (failures.length) throw new Error(failures.join("\n"));
          });
        }
      });
    });
  }
}
