import { RuleTester } from "../../src/testing/rule-tester.js";
import { lintText } from "../../src/api/lint-text.js";
import rule from "../../rules/migration-name.js";

const SQL = `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;`;

/** The rule's findings for a migration folder name (RuleTester names its migrations `<n>_m<i>`). */
async function check(name: string, options?: Record<string, unknown>) {
  const results = await lintText({ migrations: [{ name, sql: SQL }], config: { rules: { "migration-name": options ? ["warn", options] : "warn" } } });
  return results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.message}`));
}

// RuleTester's folder names are `20240101000001_m1`: two characters
new RuleTester().run(rule, {
  valid: [{ name: "a short name accepted by minLength", sql: SQL, options: { minLength: 2 } }],
  invalid: [{ name: "a name shorter than 4 characters", sql: SQL, errors: [{ messageId: "vague", line: 1, column: 1, message: '"m0" is shorter than 4 characters' }] }],
});

describe("migration-name", () => {
  it.each(["20240101120000_add_user_age", "20240101120000_init", "0_init", "20240101120000_fix_order_index", "20240101120000_update_pricing", "01_init"])("accepts %s", async (name) => {
    expect(await check(name)).toEqual([]);
  });

  it.each([
    ["20240101120000_migration", "is a placeholder"],
    ["20240101120000_changes", "is a placeholder"],
    ["20240101120000_update", "is a placeholder"],
    ["20240101120000_fix_2", "is a placeholder"],
    ["20240101120000_WIP", "is a placeholder"],
    ["20240101120000_test_migration", "is a placeholder"],
    ["20240101120000_123", "it is only numbers"],
    ["20240101120000_", "it is empty"],
    ["20240101120000_abc", "shorter than 4 characters"],
  ])("reports %s", async (name, reason) => {
    const found = await check(name);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("1:1 ");
    expect(found[0]).toContain(reason);
  });

  it("takes a banned list and a pattern", async () => {
    expect(await check("20240101120000_cleanup", { banned: ["cleanup"] })).toHaveLength(1);
    expect(await check("20240101120000_migration", { banned: ["cleanup"] })).toEqual([]);
    expect(await check("20240101120000_user_age", { pattern: "^(add|drop|rename|create|backfill)_" })).toEqual([expect.stringContaining("does not match the project's pattern")]);
    expect(await check("20240101120000_add_user_age", { pattern: "^(add|drop|rename|create|backfill)_" })).toEqual([]);
  });
});
