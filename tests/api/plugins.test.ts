/** Plugins, --rulesdir and the rule tester from the outside, as a plugin author uses them. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lint, lintText } from "../../src/index.js";
import { RuleTester, runRuleCases } from "../../src/testing/index.js";

const ROOT = path.resolve(__dirname, "../..");
const PLUGIN_PROJECT = path.join(ROOT, "fixtures/plugin-example/project");
const pluginUrl = new URL("../../fixtures/plugin-example/migration-lint-plugin-acme/index.js", import.meta.url).href;
const plugin = ((await import(pluginUrl)) as { default: { rules: Record<string, Parameters<RuleTester["run"]>[0]> } }).default;

describe("a plugin from a local path", () => {
  it("namespaces its rules and applies its preset", async () => {
    const results = await lint({ cwd: PLUGIN_PROJECT });
    const messages = results.flatMap((r) => r.messages);
    expect(messages.map((m) => m.ruleId).sort()).toEqual(["acme/no-cascade", "destructive-change"]);
    expect(messages.find((m) => m.ruleId === "acme/no-cascade")).toMatchObject({ severity: 2, line: 2, message: 'DROP ... CASCADE on "AuditLog" silently drops the views, foreign keys and other objects that depend on it.' });
  });
});

// plugin authors test their rules with the same data-driven tester
new RuleTester().run(plugin.rules["no-cascade"]!, {
  valid: ['DROP TABLE "A";', { name: "a column without CASCADE", history: ['CREATE TABLE "A" ("b" INT);'], sql: 'ALTER TABLE "A" DROP COLUMN "b";' }],
  invalid: [
    { sql: 'DROP TABLE "A" CASCADE;', errors: [{ messageId: "cascade", line: 1 }] },
    { sql: 'DROP TYPE "Role" CASCADE;\nDROP SCHEMA "old" CASCADE;', errors: [{ messageId: "cascade", line: 1 }, { messageId: "cascade", line: 2 }] },
  ],
});

describe("runRuleCases (without a test framework)", () => {
  it("returns failures as data", async () => {
    const failures = await runRuleCases(plugin.rules["no-cascade"]!, { valid: ['DROP TABLE "A" CASCADE;'], invalid: [{ sql: 'DROP TABLE "A";', errors: [{ messageId: "cascade" }] }] });
    expect(failures).toHaveLength(2);
  });
});

describe("--rulesdir", () => {
  it("loads rules from a folder on the command line, enabled through rules", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-rulesdir-"));
    fs.cpSync(path.join(ROOT, "fixtures/example"), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, "prisma/migrations/20240701000000_reset_orders"));
    fs.writeFileSync(path.join(dir, "prisma/migrations/20240701000000_reset_orders/migration.sql"), 'TRUNCATE "orders";\n');
    fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ rules: { "no-truncate": "error" } }));
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin/migration-lint.js"), "--rulesdir", path.join(ROOT, "fixtures/rulesdir"), "-f", "json"], { cwd: dir, encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    const messages = (JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; line: number }> }>).flatMap((r) => r.messages);
    expect(messages).toEqual([expect.objectContaining({ ruleId: "no-truncate", line: 1 })]);
  });

  it("lints with a folder rule through the API", async () => {
    const results = await lint({ cwd: path.join(ROOT, "fixtures/example"), rulesDirs: [path.join(ROOT, "fixtures/rulesdir")], config: { rules: { "no-truncate": "error" } } });
    expect(results.flatMap((r) => r.messages)).toEqual([]); // the example has no TRUNCATE
    const [result] = await lintText({ migrations: [{ name: "1_t", sql: 'TRUNCATE "A";' }], config: { rules: { "no-truncate": "error" } }, rules: { "no-truncate": ((await import(new URL("../../fixtures/rulesdir/no-truncate.js", import.meta.url).href)) as { default: Parameters<typeof lintText>[0]["rules"] extends infer R ? R extends Record<string, infer M> ? M : never : never }).default } });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(["no-truncate"]);
  });
});

describe("consumers", () => {
  const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });

  it("ESM: import { lint } from 'migration-lint' and migration-lint/testing", () => {
    const code = `import { lint, lintText, defineRule, defineConfig } from "migration-lint"; import { RuleTester } from "migration-lint/testing";
const r = await lint({ cwd: "fixtures/example" }); console.log(typeof lintText, typeof defineRule, typeof defineConfig, typeof RuleTester, r.length);`;
    const out = run(["--input-type=module", "-e", code]);
    expect(out.stderr).toBe("");
    expect(out.stdout.trim()).toBe("function function function function 7");
  });

  it("CommonJS: require('migration-lint') (Node's require of ESM)", () => {
    const code = `const { lint } = require("migration-lint"); const { RuleTester } = require("migration-lint/testing");
lint({ cwd: "fixtures/example" }).then((r) => console.log(typeof RuleTester, r.length));`;
    const out = run(["-e", code]);
    expect(out.stdout.trim()).toBe("function 7");
  });
});

describe("a rule that never returns", () => {
  it("is stopped by the CLI's supervisor, reported, and the run repeated without it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-hang-"));
    fs.cpSync(path.join(ROOT, "fixtures/example"), path.join(dir, "project"), { recursive: true });
    fs.mkdirSync(path.join(dir, "rules"));
    fs.writeFileSync(
      path.join(dir, "rules", "hang.js"),
      `export default { meta: { id: "hang", type: "problem", docs: { description: "loops", preset: "all" }, defaultSeverity: "error", messages: { x: "x" } },
        create: () => ({ "drop-table": () => { for (;;) {} } }) };\n`,
    );
    fs.writeFileSync(path.join(dir, "project", ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", rules: { hang: "error" } }));
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin/migration-lint.js"), "--rulesdir", path.join(dir, "rules"), "--rule-time-budget", "400", "-f", "json"], { cwd: path.join(dir, "project"), encoding: "utf8", timeout: 60_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.status).toBe(1);
    const messages = (JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; message: string }> }>).flatMap((r) => r.messages.map((m) => ({ ...m, migration: path.basename(path.dirname(r.filePath)) })));
    const hung = messages.filter((m) => m.ruleId === "internal-error");
    expect(hung).toEqual([expect.objectContaining({ migration: "20240601090000_drop_coupons", message: expect.stringContaining('Rule "hang" did not finish within 400 ms on 20240601090000_drop_coupons') })]);
    // nothing else is lost: the other rules' findings are all there
    expect(messages.filter((m) => m.ruleId === "destructive-change")).toHaveLength(3);
  }, 60_000);

  it('keeps the severity the config gives internal-error ("warn") for the finding the supervisor adds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-hang-warn-"));
    fs.mkdirSync(path.join(dir, "project", "prisma", "migrations", "20240101000000_init"), { recursive: true });
    fs.writeFileSync(path.join(dir, "project", "prisma", "schema.prisma"), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
    fs.writeFileSync(path.join(dir, "project", "prisma", "migrations", "migration_lock.toml"), 'provider = "postgresql"\n');
    fs.writeFileSync(path.join(dir, "project", "prisma", "migrations", "20240101000000_init", "migration.sql"), 'CREATE TABLE "t" ("id" INTEGER NOT NULL);\n');
    fs.mkdirSync(path.join(dir, "rules"));
    fs.writeFileSync(
      path.join(dir, "rules", "hang.js"),
      `export default { meta: { id: "hang", type: "problem", docs: { description: "loops", preset: "all" }, defaultSeverity: "error", messages: { x: "x" } },
        create: () => ({ "create-table": () => { for (;;) {} } }) };\n`,
    );
    fs.writeFileSync(path.join(dir, "project", ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", rules: { hang: "error", "internal-error": "warn" } }));
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin/migration-lint.js"), "--rulesdir", path.join(dir, "rules"), "--rule-time-budget", "400", "-f", "json"], { cwd: path.join(dir, "project"), encoding: "utf8", timeout: 60_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    const results = JSON.parse(run.stdout) as Array<{ errorCount: number; warningCount: number; messages: Array<{ ruleId: string; severity: number }> }>;
    expect(results.flatMap((r) => r.messages).filter((m) => m.ruleId === "internal-error")).toEqual([expect.objectContaining({ severity: 1 })]);
    expect(results.reduce((n, r) => n + r.errorCount, 0)).toBe(0);
    expect(run.status).toBe(0);
  }, 60_000);
});
