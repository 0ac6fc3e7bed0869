import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { runLint } from "../../src/api/lint.js";
import { writeBaseline } from "../../src/engine/baseline.js";

const history = { name: "1_create", sql: 'CREATE TABLE "T" ("a" INT, "b" INT, "c" INT);' };
async function lintLast(sql: string, config: Record<string, unknown> = { rules: { "destructive-change": "error" } }) {
  const [result] = await lintText({ migrations: [history, { name: "2_change", sql }], config });
  return result!;
}

describe("inline directives", () => {
  it("disable-next-line covers the whole next statement and records the reason", async () => {
    const result = await lintLast(`-- migration-lint-disable-next-line destructive-change -- unused since v2, backed up in OPS-1
ALTER TABLE "T"
  DROP COLUMN "b";
ALTER TABLE "T" DROP COLUMN "c";`);
    expect(result.messages.map((m) => m.line)).toEqual([4]);
    expect(result.suppressedMessages).toEqual([
      expect.objectContaining({ ruleId: "destructive-change", line: 3, suppressions: [{ kind: "directive", justification: "unused since v2, backed up in OPS-1" }] }),
    ]);
  });

  it("disable / enable ranges and file-level directives", async () => {
    const ranged = await lintLast(`-- migration-lint-disable destructive-change -- cleanup approved in OPS-2
ALTER TABLE "T" DROP COLUMN "a";
ALTER TABLE "T" DROP COLUMN "b";
-- migration-lint-enable destructive-change
ALTER TABLE "T" DROP COLUMN "c";`);
    expect(ranged.messages.map((m) => m.line)).toEqual([5]);
    expect(ranged.suppressedMessages).toHaveLength(2);

    const whole = await lintLast(`ALTER TABLE "T" DROP COLUMN "a";\n-- migration-lint-disable-file -- the T table is a scratch table\nDROP TABLE "T";`);
    expect(whole.messages).toEqual([]);
    expect(whole.suppressedMessages).toHaveLength(2);
  });

  it("a directive without a reason suppresses nothing and is reported", async () => {
    const result = await lintLast(`-- migration-lint-disable-next-line destructive-change\nDROP TABLE "T";`);
    expect(result.messages.map((m) => m.ruleId)).toEqual(["invalid-directive", "destructive-change"]);
    expect(result.messages[0]!.message).toContain("has no reason");
  });

  it("reasons can be made optional", async () => {
    const result = await lintLast(`-- migration-lint-disable-next-line destructive-change\nDROP TABLE "T";`, { rules: { "destructive-change": "error" }, requireDisableReason: false });
    expect(result.messages).toEqual([]);
  });

  it("an unknown rule name is reported", async () => {
    const result = await lintLast(`-- migration-lint-disable-next-line destructve-change -- typo\nDROP TABLE "T";`);
    expect(result.messages.map((m) => m.ruleId)).toEqual(["invalid-directive", "destructive-change"]);
    expect(result.messages[0]!.message).toContain('unknown rule "destructve-change"');
  });
});

describe("baseline and unused directives through the project API", () => {
  const ONLY_DROPS = { rules: { "destructive-change": "error" as const } };
  function project(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-baseline-"));
    fs.cpSync(path.resolve(__dirname, "../../fixtures/example"), dir, { recursive: true });
    return dir;
  }

  it("accepts recorded findings by fingerprint, reports new, expired and stale ones", async () => {
    const dir = project();
    const first = await runLint({ cwd: dir, config: ONLY_DROPS });
    expect(first.results.flatMap((r) => r.messages)).toHaveLength(3);
    const baselinePath = first.projects[0]!.baselinePath;
    expect(await writeBaseline(baselinePath, first.results, null)).toBe(3);

    const clean = await runLint({ cwd: dir, config: ONLY_DROPS });
    expect(clean.results.flatMap((r) => r.messages)).toEqual([]);
    expect(clean.results.flatMap((r) => r.suppressedMessages).map((m) => m.suppressions?.[0]?.kind)).toEqual(["baseline", "baseline", "baseline"]);

    // line numbers do not matter: prepend comment lines to a baselined migration
    const renamed = path.join(dir, "prisma/migrations/20240402101000_rename_name/migration.sql");
    fs.writeFileSync(renamed, `-- reviewed\n\n${fs.readFileSync(renamed, "utf8")}`);
    expect((await runLint({ cwd: dir, config: ONLY_DROPS })).results.flatMap((r) => r.messages)).toEqual([]);

    // expire one entry, make another stale
    const data = JSON.parse(fs.readFileSync(baselinePath, "utf8")) as { entries: Array<Record<string, string>> };
    data.entries[0]!.expires = "2000-01-01";
    data.entries[1]!.fingerprint = "0000000000000000";
    fs.writeFileSync(baselinePath, JSON.stringify(data, null, 2));
    const messages = (await runLint({ cwd: dir, config: ONLY_DROPS })).results.flatMap((r) => r.messages.map((m) => m.ruleId));
    expect(messages.sort()).toEqual(["baseline-expired", "baseline-stale", "destructive-change", "destructive-change"]);
  });

  it("reports directives that suppress nothing when asked", async () => {
    const dir = project();
    const init = path.join(dir, "prisma/migrations/20240105093000_init/migration.sql");
    fs.writeFileSync(init, `-- migration-lint-disable-next-line destructive-change -- nothing to drop here\n${fs.readFileSync(init, "utf8")}`);
    const quiet = await runLint({ cwd: dir, config: ONLY_DROPS });
    expect(quiet.results.flatMap((r) => r.messages).map((m) => m.ruleId)).not.toContain("unused-directive");
    const loud = await runLint({ cwd: dir, config: ONLY_DROPS, reportUnusedDisableDirectives: true });
    expect(loud.results.flatMap((r) => r.messages).filter((m) => m.ruleId === "unused-directive")).toEqual([expect.objectContaining({ line: 1, severity: 2 })]);
  });
});

describe("directives after a linted file is trimmed (keepOnlyDirectiveData)", () => {
  it("apply the same way to the same messages", async () => {
    const { parseSqlFile } = await import("../../src/dialects/postgres/parse.js");
    const { buildOperations } = await import("../../src/dialects/postgres/build.js");
    const { applyDirectives, keepOnlyDirectiveData } = await import("../../src/engine/directives.js");
    const sql = `-- AlterTable
ALTER TABLE "T" DROP COLUMN "a";
-- migration-lint-disable-next-line destructive-change -- unused since v2
ALTER TABLE "T"
  DROP COLUMN "b";
-- a plain comment
-- migration-lint-disable destructive-change -- cleanup approved
ALTER TABLE "T" DROP COLUMN "c";
-- migration-lint-enable destructive-change
-- migration-lint-disable-next-line no-such-rule -- typo
DROP TABLE "T";`;
    const file = await parseSqlFile("/p/m.sql", sql);
    buildOperations(file);
    const messages = [2, 5, 8, 11].map((line) => ({ ruleId: "destructive-change", severity: 2 as const, message: "x", line, column: 1, endLine: line, endColumn: 2, fingerprint: `f${line}` }));
    const options = { requireReason: true, knownRules: new Set(["destructive-change"]), reportUnused: 1 as const, migration: "m" };
    const before = applyDirectives(file, messages, options);
    keepOnlyDirectiveData(file);
    expect(file.comments.map((c) => c.text.trim().split(" ")[0])).toEqual([
      "migration-lint-disable-next-line",
      "migration-lint-disable",
      "migration-lint-enable",
      "migration-lint-disable-next-line",
    ]);
    expect(file.statements.map((s) => s.range.loc.start.line)).toEqual([4, 11]);
    expect(applyDirectives(file, messages, options)).toEqual(before);
    expect(before.suppressed.map((m) => m.line)).toEqual([5, 8]);
  });

  it("on a long history, an early migration's directives still apply", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-trim-"));
    const mig = path.join(dir, "prisma", "migrations");
    fs.mkdirSync(mig, { recursive: true });
    fs.writeFileSync(path.join(dir, "prisma", "schema.prisma"), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
    fs.writeFileSync(path.join(mig, "migration_lock.toml"), 'provider = "postgresql"\n');
    const write = (name: string, sql: string) => {
      fs.mkdirSync(path.join(mig, name));
      fs.writeFileSync(path.join(mig, name, "migration.sql"), sql);
    };
    write("1_init", 'CREATE TABLE "T" ("a" INT, "b" INT);\n');
    write("2_drop", '-- migration-lint-disable-next-line destructive-change -- unused since v2\nALTER TABLE "T" DROP COLUMN "a";\nALTER TABLE "T" DROP COLUMN "b";\n');
    write("3_more", 'CREATE TABLE "U" ("x" INT);\n');
    write("4_more", 'CREATE TABLE "V" ("x" INT);\n');
    const run = await runLint({ cwd: dir, config: { rules: { "destructive-change": "error" } } });
    const second = run.results.find((r) => r.filePath.includes("2_drop"))!;
    expect(second.messages.map((m) => [m.ruleId, m.line])).toEqual([["destructive-change", 3]]);
    expect(second.suppressedMessages.map((m) => m.line)).toEqual([2]);
  });
});

describe("--write-baseline", () => {
  it("orders entries by code unit, not by the machine's locale, so the file does not churn between machines", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-baseline-order-"));
    const file = path.join(dir, "baseline.json");
    const message = (migration: string, ruleId: string) => ({ ruleId, severity: 2 as const, message: "m", line: 1, column: 1, endLine: 1, endColumn: 1, fingerprint: "f", migration });
    const names = ["20240101_b", "20240101_\u00c4nderung", "20240101_a", "20240101_Z"];
    const results = [{ filePath: "x", messages: names.flatMap((n) => [message(n, "prefer-text"), message(n, "Custom/rule")]), suppressedMessages: [], errorCount: 8, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, source: undefined }];
    await writeBaseline(file, results as never, null);
    const entries = (JSON.parse(fs.readFileSync(file, "utf8")) as { entries: Array<{ migration: string; ruleId: string }> }).entries;
    expect(entries.map((e) => `${e.migration} ${e.ruleId}`)).toEqual([
      "20240101_Z Custom/rule",
      "20240101_Z prefer-text",
      "20240101_a Custom/rule",
      "20240101_a prefer-text",
      "20240101_b Custom/rule",
      "20240101_b prefer-text",
      "20240101_\u00c4nderung Custom/rule",
      "20240101_\u00c4nderung prefer-text",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
