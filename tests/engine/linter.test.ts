import { describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { builtinRules } from "../../rules/index.js";
import { defineRule } from "../../src/engine/rule.js";
import { MigrationLintError } from "../../src/errors.js";
import type { LoadedMigration } from "../../src/engine/linter.js";

const create = 'CREATE TABLE "T" ("a" INT, "b" INT);';
const drops = 'ALTER TABLE "T" DROP COLUMN "b";\nDROP TABLE "T";';
const history = [{ name: "1_create", sql: create }, { name: "2_drop", sql: drops }];

describe("severity resolution", () => {
  it("uses recommended when there is no config, at the rule's default severity", async () => {
    const [result] = await lintText({ migrations: history });
    expect(result!.messages.map((m) => [m.ruleId, m.severity])).toEqual([["destructive-change", 2], ["destructive-change", 2]]);
    expect(result!.errorCount).toBe(2);
  });

  it.each([
    ["warn", 1], [1, 1], ["error", 2], [2, 2],
  ] as const)("rule set to %s -> severity %d", async (setting, severity) => {
    const [result] = await lintText({ migrations: history, config: { rules: { "destructive-change": setting } } });
    expect(result!.messages.every((m) => m.severity === severity)).toBe(true);
  });

  it.each(["off", 0] as const)("rule set to %s reports nothing", async (setting) => {
    const [result] = await lintText({ migrations: history, config: { extends: "recommended", rules: { "destructive-change": setting } } });
    expect(result!.messages).toEqual([]);
  });

  it("lets rules override a preset and keeps the preset's options otherwise", async () => {
    const config = await resolveConfig({ config: { extends: ["all"], rules: { "destructive-change": ["warn", { allowPreserved: true }] } }, filepath: null, builtinRules, cwd: "." });
    expect(config.rules.find((r) => r.id === "destructive-change")).toMatchObject({ severity: 1, options: { allowPreserved: true } });
  });

  it("rejects bad options with the rule and option named", async () => {
    const error = await resolveConfig({ config: { rules: { "destructive-change": ["error", { allowPreserved: "yes" }] } }, filepath: "/x/.migration-lintrc.json", builtinRules, cwd: "." }).catch((e) => e);
    expect(error).toBeInstanceOf(MigrationLintError);
    expect(error.message).toBe('Rule "destructive-change": option "allowPreserved" must be boolean.');
    expect(error.format()).toMatch(/^\/x\/\.migration-lintrc\.json: /);
  });
});

describe("rule isolation", () => {
  it("turns a throwing rule into an internal-error finding and keeps linting with the other rules", async () => {
    const broken = defineRule({
      meta: { id: "broken", type: "problem", docs: { description: "throws", preset: "all" }, defaultSeverity: "error", messages: {} },
      create: () => ({ "drop-table": () => { throw new TypeError("boom"); } }),
    });
    (builtinRules as Record<string, unknown>).broken = broken;
    try {
      const [result] = await lintText({ migrations: history, config: { rules: { broken: "error", "destructive-change": "error" } } });
      const ids = result!.messages.map((m) => m.ruleId);
      expect(ids).toContain("internal-error");
      expect(ids.filter((id) => id === "destructive-change")).toHaveLength(2);
      const internal = result!.messages.find((m) => m.ruleId === "internal-error")!;
      expect(internal.message).toContain('Rule "broken" crashed on 2_drop: TypeError: boom');
      expect(internal.line).toBe(2); // at the statement it crashed on
    } finally {
      delete (builtinRules as Record<string, unknown>).broken;
    }
  });
});

describe("findings", () => {
  it("are sorted by line and column and carry stable fingerprints", async () => {
    const [a] = await lintText({ migrations: history });
    expect(a!.messages.map((m) => [m.line, m.column])).toEqual([[1, 17], [2, 1]]);
    // fingerprints do not depend on line numbers: shift the statements down
    const [b] = await lintText({ migrations: [history[0]!, { name: "2_drop", sql: `-- moved\n\n${drops}` }] });
    expect(b!.messages.map((m) => m.fingerprint)).toEqual(a!.messages.map((m) => m.fingerprint));
    expect(new Set(a!.messages.map((m) => m.fingerprint)).size).toBe(2);
  });

  it("reports a statement that does not parse as parse-error and lints the rest of the file", async () => {
    const [result] = await lintText({ migrations: [history[0]!, { name: "2_drop", sql: `ALTER TABLE "T" ADD COLUM "x" INT;\n${drops}` }] });
    expect(result!.messages.map((m) => [m.ruleId, m.line])).toEqual([["parse-error", 1], ["destructive-change", 2], ["destructive-change", 3]]);
    expect(result!.fatalErrorCount).toBe(1);
  });
});

describe("rule time budget", () => {
  it("switches off a rule that runs past its budget and keeps linting with the others", async () => {
    const slow = defineRule({
      meta: { id: "slow", type: "problem", docs: { description: "burns time", preset: "all" }, defaultSeverity: "error", messages: { x: "x" } },
      create: () => ({
        Statement: () => {
          const until = performance.now() + 30;
          while (performance.now() < until) {
            // busy: a runaway rule
          }
        },
      }),
    });
    const migrations = [{ name: "1_create", sql: create }, { name: "2_drop", sql: `${drops}\nDROP TABLE "U";\nDROP TABLE "V";` }];
    const [result] = await lintText({ migrations, rules: { slow }, config: { rules: { slow: "error", "destructive-change": "error" } }, ruleTimeBudgetMs: 50 });
    const internal = result!.messages.filter((m) => m.ruleId === "internal-error");
    expect(internal).toHaveLength(1);
    expect(internal[0]!.message).toMatch(/^Rule "slow" used more than its time budget \(\d+ ms, budget 50 ms\)/);
    expect(result!.messages.filter((m) => m.ruleId === "destructive-change")).toHaveLength(4);
  });
});

describe("time that is not the rule's", () => {
  // The first rule to read a schema still parsing (in a worker, or slow to parse) waited for it inside its visitor,
  // and that wait was billed to its time budget: the rule was switched off, and its later findings went unreported.
  it("waiting for the schema is not billed to the rule that first reads it", async () => {
    const { lintProject } = await import("../../src/engine/linter.js");
    const { postgres } = await import("../../src/dialects/postgres/index.js");
    const { parsePrismaSchema } = await import("../../src/schema/parse-schema.js");
    const parsedSchema = parsePrismaSchema([{ path: "/p/schema.prisma", text: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n' }]);
    let parsed = false;
    const model = {
      root: "/p",
      get schema() {
        if (!parsed) {
          const until = performance.now() + 300; // a slow-to-parse schema
          while (performance.now() < until) {
            // parsing
          }
          parsed = true;
        }
        return parsedSchema;
      },
      migrations: [] as LoadedMigration[],
      runner: { model: "unknown", prismaVersion: null, source: "unknown" },
      dialect: postgres,
      postgresVersion: 14,
      lockProvider: null,
    };
    for (const [index, [name, sql]] of [["1_create", create], ["2_drop", drops]].entries()) {
      const file = await postgres.parseFile(`/p/migrations/${name}/migration.sql`, sql!);
      model.migrations.push({ entry: { name: name!, dir: `/p/migrations/${name}`, upPath: file.path, downPath: null, extraFiles: [] }, index, file, error: null });
    }
    const readsSchema = defineRule({
      meta: { id: "reads-schema", type: "problem", docs: { description: "reads the schema", preset: "all" }, defaultSeverity: "error", messages: { drop: "drop" } },
      create: (context) => ({
        "drop-table": (op) => {
          void context.project.schema;
          context.report({ node: op, messageId: "drop" });
        },
        "drop-column": (op) => {
          void context.project.schema;
          context.report({ node: op, messageId: "drop" });
        },
      }),
    });
    const config = await resolveConfig({ config: { rules: { "reads-schema": "error" } }, filepath: null, builtinRules, cwd: ".", extraRules: { "reads-schema": readsSchema } });
    const messages = await lintProject(model as never, config.rules, () => true, { ruleTimeBudgetMs: 100 });
    const found = [...messages.values()].flat();
    expect(found.filter((m) => m.ruleId === "internal-error")).toEqual([]);
    expect(found.map((m) => m.ruleId)).toEqual(["reads-schema", "reads-schema"]);
  });
});
