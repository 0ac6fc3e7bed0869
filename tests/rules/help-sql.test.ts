/**
 * Every SQL statement a finding's help suggests must run on Postgres, for the
 * table it names. For each rule's invalid RuleTester cases (collected from
 * tests/rules/<id>.test.ts), the help's SQL spans (backquoted text that ends
 * with `;`, the convention of every help text) are run on PGlite after the
 * history of the case. A span may be a step of a plan or an alternative, so
 * it must run in one of these states:
 *   1. after the spans before it (a plan: NOT VALID, then VALIDATE);
 *   2. after the history and the statements of the migration before the
 *      finding's line (a statement that replaces the reported one);
 *   3. after the history alone (a replacement for the whole migration);
 *   4. after the whole migration (advice for the table the migration leaves,
 *      e.g. converting a column it creates).
 * A case about a table its history never creates (to show the rule assumes
 * an unknown table holds rows) cannot run: its findings are counted as skipped.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import type { RuleModule } from "../../src/engine/rule.js";
import type { RuleCases, InvalidRuleTestCase } from "../../src/testing/rule-tester.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { extensionNames, loadPgliteExtensions } from "../../src/replay/extensions.js";

const collected = vi.hoisted(() => [] as Array<{ rule: RuleModule<any>; cases: RuleCases }>); // eslint-disable-line @typescript-eslint/no-explicit-any

vi.mock("../../src/testing/rule-tester.js", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  RuleTester: class {
    run(rule: RuleModule<any>, cases: RuleCases) { // eslint-disable-line @typescript-eslint/no-explicit-any
      collected.push({ rule, cases });
    }
  },
}));

/** The SQL spans of a help text: backquoted, ending with `;`. */
export function helpSqlSpans(help: string): string[] {
  return [...help.matchAll(/`([^`]*;)`/g)].map((m) => m[1]!);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ruleTests = readdirSync(here).filter((f) => f.endsWith(".test.ts") && f !== "help-sql.test.ts");

// The rule test files register their cases with the (mocked) RuleTester on import;
// their other describe/it blocks must not run a second time here.
const g = globalThis as Record<string, unknown>;
const saved = { describe: g.describe, it: g.it, test: g.test };
g.describe = g.it = g.test = Object.assign(() => undefined, { skip: () => undefined, each: () => () => undefined });
for (const file of ruleTests) await import(path.join(here, file));
Object.assign(g, saved);

const { runRuleCase } = await vi.importActual<typeof import("../../src/testing/rule-tester.js")>("../../src/testing/rule-tester.js");

let db: PGlite;

beforeAll(async () => {
  const names = collected.flatMap(({ cases }) => cases.invalid.flatMap((c) => extensionNames([...(c.history ?? []), c.sql].join("\n"))));
  const { extensions } = await loadPgliteExtensions(new Set(names));
  const { PGlite } = await import("@electric-sql/pglite");
  db = await PGlite.create({ extensions });
});
afterAll(async () => db?.close());

async function statementsOf(sql: string): Promise<Array<{ text: string; line: number }>> {
  const file = await parseSqlFile("migration.sql", sql);
  return file.statements
    .filter((s) => s.nodeType !== "TransactionStmt") // a file's BEGIN/COMMIT: each statement runs on its own here
    .map((s) => ({ text: s.text, line: s.range.loc.start.line }));
}

async function reset(): Promise<void> {
  const schemas = await db.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
  );
  for (const { nspname } of schemas.rows) await db.exec(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
  await db.exec("CREATE SCHEMA public");
}

/** Runs statements one by one (CONCURRENTLY cannot run in a transaction block); returns the errors. */
async function run(statements: Array<{ text: string }>): Promise<string[]> {
  const errors: string[] = [];
  for (const s of statements) {
    try {
      await db.exec(s.text);
    } catch (err) {
      errors.push(`${s.text.trim().slice(0, 80)}: ${(err as Error).message}`);
    }
  }
  return errors;
}

const STATES = ["after the spans before it", "after the migration's statements before the finding", "after the history", "after the whole migration"] as const;

/** An error about a relation that no CREATE in the case makes: the case is about a table unknown to its history. */
function unknownRelation(error: string, caseSql: string): boolean {
  const missing = /(?:relation|sequence|index) "([^"]+)" does not exist/.exec(error)?.[1];
  if (!missing) return false;
  const name = missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return !new RegExp(`CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:"?\\w+"?\\.)?"?${name}"?[\\s(]`, "i").test(caseSql);
}

async function check(rule: RuleModule<any>, testCase: InvalidRuleTestCase): Promise<{ failures: string[]; ran: number; skipped: number }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const findings = await runRuleCase(rule, testCase);
  const history = (await Promise.all((testCase.history ?? []).map(statementsOf))).flat();
  const migration = await statementsOf(testCase.sql);
  const caseSql = [...(testCase.history ?? []), testCase.sql].join("\n");
  const failures: string[] = [];
  let ran = 0;
  let skipped = 0;
  for (const finding of findings) {
    const spans = helpSqlSpans(finding.help ?? "");
    if (!spans.length) continue;
    const before = migration.filter((s) => s.line < finding.line);
    const prepare = async (state: (typeof STATES)[number]) => {
      await reset();
      const setup = await run(history);
      if (state === "after the whole migration") await run(migration); // may fail on purpose (the finding's own statement)
      else if (state !== "after the history") setup.push(...(await run(before)));
      return setup;
    };
    let setupErrors = await prepare(STATES[0]);
    for (const span of spans) {
      const attempts: string[] = [];
      let ok = false;
      for (const state of STATES) {
        if (state !== STATES[0]) setupErrors = await prepare(state);
        const errors = await run([{ text: span }]);
        if (!errors.length) {
          ok = true;
          break;
        }
        attempts.push(`${state}: ${errors.join("; ")}`);
      }
      if (ok) ran++;
      else if (attempts.every((a) => unknownRelation(a, caseSql))) skipped++;
      else failures.push(`${finding.ruleId} (${finding.messageId}) help SQL \`${span}\` fails ${attempts.join(" | ")}${setupErrors.length ? ` (setup errors: ${setupErrors.join("; ")})` : ""}`);
    }
  }
  return { failures, ran, skipped };
}

it("collects the invalid cases of every rule test file", () => {
  expect(collected.length).toBeGreaterThanOrEqual(ruleTests.length - 1);
});

it("runs the help SQL of every finding of every rule's invalid cases on PGlite", async () => {
  const failures: string[] = [];
  let ran = 0;
  let skipped = 0;
  const rulesWithSql = new Set<string>();
  for (const { rule, cases } of collected) {
    for (const testCase of cases.invalid) {
      // PGlite runs PostgreSQL: the help of a case linted as another dialect (lockProvider: "sqlite") is that database's SQL
      if (testCase.lockProvider && testCase.lockProvider !== "postgresql" && testCase.lockProvider !== "postgres") continue;
      const result = await check(rule, testCase);
      failures.push(...result.failures.map((f) => `${testCase.name ?? testCase.sql.slice(0, 60)}: ${f}`));
      ran += result.ran;
      skipped += result.skipped;
      if (result.ran) rulesWithSql.add(rule.meta.id);
    }
  }
  expect(failures).toEqual([]);
  // most help SQL runs (measured: see the commit message); the skipped spans are about tables no CREATE in the case makes
  expect(ran).toBeGreaterThan(100);
  expect(skipped).toBeLessThan(ran / 5);
  expect(rulesWithSql.size).toBeGreaterThanOrEqual(12);
  console.log(`help SQL: ${ran} spans ran, ${skipped} skipped, from ${rulesWithSql.size} rules`);
}, 600_000);

it("reads SQL spans only from backquoted text ending with a semicolon", () => {
  expect(helpSqlSpans('Use `ALTER TABLE "t" ADD COLUMN "c" int;`, then `@map("x")` and ... `prisma migrate dev`')).toEqual(['ALTER TABLE "t" ADD COLUMN "c" int;']);
});
