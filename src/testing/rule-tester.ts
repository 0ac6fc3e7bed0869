/**
 * Data-driven rule tests, like ESLint's RuleTester: each case is a history
 * of migrations (the last one is linted) and the findings it must produce.
 * Works with any test framework that provides global `describe` and `it`
 * (vitest with globals, jest, mocha); `runRuleCases` works without one.
 */
import type { RuleModule } from "../engine/rule.js";
import type { LintMessage } from "../engine/results.js";
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

export interface InvalidRuleTestCase extends RuleTestCase {
  /** Expected findings in order: messageId and optionally line, column and a message substring. */
  errors: Array<{ messageId: string; line?: number; column?: number; endLine?: number; message?: string | RegExp }>;
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
    if (problems.length) failures.push(`invalid case ${label}, finding ${i + 1}: ${problems.join("; ")}`);
  });
  return failures;
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
