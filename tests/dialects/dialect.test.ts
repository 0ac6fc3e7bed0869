import { describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { defineRule } from "../../src/engine/rule.js";
import { appliesTo, type Capability } from "../../src/dialects/dialect.js";
import { dialectFor, dialectIdOf } from "../../src/dialects/index.js";
import { MigrationLintError } from "../../src/errors.js";

const dropsTable = (meta: object) =>
  defineRule({
    meta: { id: "drops", type: "problem", docs: { description: "drop", preset: "all" }, defaultSeverity: "error", messages: { drop: "drop" }, ...meta },
    create: (context) => ({ "drop-table": (op) => context.report({ node: op, messageId: "drop" }) }),
  });

const run = (meta: object) => lintText({ migrations: [{ name: "1_drop", sql: 'DROP TABLE "User";' }], config: { rules: { drops: "error" } }, rules: { drops: dropsTable(meta) } });
const found = async (meta: object) => (await run(meta)).flatMap((r) => r.messages).map((m) => m.ruleId);

describe("where a rule's hazard exists", () => {
  it("a rule for every dialect runs on PostgreSQL", async () => {
    expect(await found({})).toEqual(["drops"]);
  });

  it("meta.dialects: a rule about another database's behaviour is skipped on PostgreSQL, not run and silenced", async () => {
    expect(await found({ dialects: ["sqlite"] })).toEqual([]);
    expect(await found({ dialects: ["postgresql"] })).toEqual(["drops"]);
  });

  it("requires.capabilities: the rule runs only where the dialect has every one", async () => {
    expect(await found({ requires: { capabilities: ["concurrent-index", "transactional-ddl"] } })).toEqual(["drops"]);
    const noConcurrentIndex = { id: "postgresql" as const, capabilities: new Set<Capability>(["transactional-ddl"]) };
    expect(appliesTo({ requires: { capabilities: ["concurrent-index"] } }, noConcurrentIndex)).toBe(false);
    expect(appliesTo({ requires: { capabilities: ["transactional-ddl"] } }, noConcurrentIndex)).toBe(true);
    expect(appliesTo({}, noConcurrentIndex)).toBe(true);
  });
});

describe("choosing a dialect by provider", () => {
  it("postgres is Prisma's alias of postgresql", () => {
    expect(dialectIdOf("postgresql")).toBe("postgresql");
    expect(dialectIdOf("postgres")).toBe("postgresql");
    expect(dialectIdOf("sqlserver")).toBeNull();
  });

  it("a provider without a dialect is a project error naming the file that chose it", async () => {
    const error = await dialectFor("sqlserver", "/p/migrations/migration_lock.toml").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationLintError);
    expect((error as MigrationLintError).message).toMatch(/^Provider "sqlserver" is not supported yet/);
    expect((error as MigrationLintError).file).toBe("/p/migrations/migration_lock.toml");
  });

  it("no provider at all (no lock file, no datasource) is read as PostgreSQL, as before dialects", async () => {
    expect((await dialectFor(null, "/p/schema.prisma")).id).toBe("postgresql");
  });
});
