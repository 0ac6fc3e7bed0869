/**
 * The rule API's fix and suggest (issue 17): the engine keeps a rule to what its meta declares, a fixer that
 * throws never loses the finding, and the fixable counts, the JSON and the SARIF carry the edits.
 */
import { describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { defineRule } from "../../src/engine/rule.js";
import { applyFixes, mergeFixes } from "../../src/engine/fixer.js";
import { laterMigration, removeStatement } from "../../src/engine/later-migration.js";
import { runRuleCases } from "../../src/testing/rule-tester.js";
import stylish from "../../src/formatters/stylish.js";
import json from "../../src/formatters/json.js";
import { createSarifFormatter } from "../../src/formatters/sarif.js";

const HISTORY = { name: "1_users", sql: 'CREATE TABLE "User" ("id" INT PRIMARY KEY, "name" TEXT);' };
const SQL = 'ALTER TABLE "User" DROP COLUMN "name";';

/** A plugin rule that reports every drop-column, with what `edits` gives it. */
function dropRule(meta: { fixable?: "code"; hasSuggestions?: boolean }, edits: Record<string, unknown>) {
  return defineRule({
    meta: { id: "drops", type: "problem", docs: { description: "Reports drops.", preset: "all" }, defaultSeverity: "warn", messages: { drop: "Drops {{column}}.", keep: "Keep {{column}}" }, ...meta },
    create: (context) => ({ "drop-column": (op) => context.report({ node: op, messageId: "drop", data: { column: op.column }, ...edits }) }),
  });
}

async function run(rule: ReturnType<typeof dropRule>, sql = SQL) {
  const results = await lintText({ migrations: [HISTORY, { name: "2_drop", sql }], config: { rules: { drops: "warn" } }, rules: { drops: rule } });
  return results;
}

describe("fix and suggest in the rule API", () => {
  it("a declared fix is merged into one edit of the message's own file, and counted as fixable", async () => {
    const rule = dropRule({ fixable: "code" }, { fix: (fixer: any) => [fixer.insertTextBeforeRange([0, 0], "-- hi\n"), fixer.replaceTextRange([12, 18], '"Person"')] });
    const [result] = await run(rule);
    expect(result!.messages[0]!.fix).toEqual({ range: [0, 18], text: '-- hi\nALTER TABLE "Person"' });
    expect(result!.fixableWarningCount).toBe(1);
    expect(result!.fixableErrorCount).toBe(0);
  });

  it("a fix from a rule without meta.fixable is dropped, the finding kept, and an internal-error says why (ESLint refuses it too)", async () => {
    const [result] = await run(dropRule({}, { fix: (fixer: any) => fixer.remove([0, 5]) }));
    const [finding, internal] = [result!.messages.find((m) => m.ruleId === "drops"), result!.messages.find((m) => m.ruleId === "internal-error")];
    expect(finding).toMatchObject({ message: "Drops name." });
    expect(finding!.fix).toBeUndefined();
    expect(internal!.message).toContain("it reported a fix without declaring meta.fixable");
    expect(result!.fixableWarningCount).toBe(0);
  });

  it("suggestions from a rule without meta.hasSuggestions are dropped the same way", async () => {
    const [result] = await run(dropRule({ fixable: "code" }, { suggest: [{ desc: "x", fix: (fixer: any) => fixer.remove([0, 5]) }] }));
    expect(result!.messages.find((m) => m.ruleId === "drops")!.suggestions).toBeUndefined();
    expect(result!.messages.find((m) => m.ruleId === "internal-error")!.message).toContain("without declaring meta.hasSuggestions");
  });

  it("a fixer that throws never loses the finding", async () => {
    const [result] = await run(dropRule({ fixable: "code", hasSuggestions: true }, { fix: () => { throw new Error("boom"); }, suggest: [{ messageId: "keep", fix: (fixer: any) => fixer.insertTextAfterRange([0, 0], "-- keep\n") }, { desc: "bad", fix: () => [{ range: [3, 1], text: "" }] }] }));
    const finding = result!.messages.find((m) => m.ruleId === "drops")!;
    expect(finding.message).toBe("Drops name.");
    expect(finding.fix).toBeUndefined();
    // the good suggestion stays, its desc from the message template; the bad one is dropped
    expect(finding.suggestions).toEqual([{ desc: "Keep name", messageId: "keep", fix: { range: [0, 0], text: "-- keep\n" } }]);
    expect(result!.messages.find((m) => m.ruleId === "internal-error")!.message).toMatch(/its fix threw \(Error: boom\).*its suggestion 2 threw/);
  });

  it("overlapping edits of one fix are refused; fixes of several findings apply without overlap, the rest waits for the next pass", () => {
    expect(() => mergeFixes([{ range: [0, 5], text: "a" }, { range: [3, 8], text: "b" }], "0123456789")).toThrow("overlap");
    const { text, applied, skipped } = applyFixes("0123456789", [{ range: [6, 8], text: "X" }, { range: [0, 2], text: "Y" }, { range: [1, 3], text: "Z" }]);
    expect(text).toBe("Y2345X89");
    expect(applied).toHaveLength(2);
    expect(skipped).toEqual([{ range: [1, 3], text: "Z" }]);
  });

  it("stylish says what --fix can change, JSON carries ESLint's fix and suggestions, SARIF carries fixes", async () => {
    const rule = dropRule({ fixable: "code", hasSuggestions: true }, { fix: (fixer: any) => fixer.insertTextBeforeRange([0, 0], "SET x = 1;\n"), suggest: [{ desc: "Move it", fix: (fixer: any) => fixer.removeRange([0, SQL.length]), files: [{ filePath: "/p/migrations/3_x/migration.sql", text: SQL }] }] });
    const results = await run(rule);
    const file = results[0]!.filePath;
    const context = { cwd: "/", color: false, sourceOf: (f: string) => (f === file ? SQL : undefined) };
    expect(stylish(results, context)).toContain("0 errors and 1 warning potentially fixable with the `--fix` option.");
    const parsed = JSON.parse(json(results, context));
    expect(parsed[0].messages[0].fix).toEqual({ range: [0, 0], text: "SET x = 1;\n" });
    expect(parsed[0].messages[0].suggestions[0]).toMatchObject({ desc: "Move it", fix: { range: [0, SQL.length], text: "" } });
    expect(parsed[0].fixableWarningCount).toBe(1);
    const sarif = JSON.parse(createSarifFormatter({ version: null })(results, context));
    const fixes = sarif.runs[0].results[0].fixes;
    expect(fixes[0].artifactChanges[0].replacements[0]).toEqual({ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: "SET x = 1;\n" } });
    expect(fixes[1].description.text).toBe("Move it");
    expect(fixes[1].artifactChanges).toHaveLength(2);
  });
});

describe("RuleTester and fixes (as ESLint's)", () => {
  const fixing = dropRule({ fixable: "code" }, { fix: (fixer: any) => fixer.insertTextBeforeRange([0, 0], "-- x\n") });
  const invalid = { history: [HISTORY.sql], sql: SQL, errors: [{ messageId: "drop" }] };

  it("fails a case whose rule fixes when `output` is absent, or null, or wrong; passes the right output", async () => {
    expect((await runRuleCases(fixing, { valid: [], invalid: [invalid] }))[0]).toContain("the rule fixed the migration; add `output`");
    expect((await runRuleCases(fixing, { valid: [], invalid: [{ ...invalid, output: null }] }))[0]).toContain("expected no fix (output: null)");
    expect((await runRuleCases(fixing, { valid: [], invalid: [{ ...invalid, output: "nope" }] }))[0]).toContain("output after --fix differs");
    expect(await runRuleCases(fixing, { valid: [], invalid: [{ ...invalid, output: `-- x\n${SQL}` }] })).toEqual([]);
  });

  it("fails when a rule fixes without declaring meta.fixable", async () => {
    const undeclared = dropRule({}, { fix: (fixer: any) => fixer.insertTextBeforeRange([0, 0], "-- x\n") });
    expect((await runRuleCases(undeclared, { valid: [], invalid: [{ ...invalid, output: `-- x\n${SQL}` }] }))[0]).toContain("without declaring meta.fixable");
  });

  it("checks each suggestion's output and files, and fails when they are not declared in the case", async () => {
    const suggesting = dropRule({ hasSuggestions: true }, { suggest: [{ messageId: "keep", fix: (fixer: any) => fixer.removeRange([0, SQL.length]), files: [{ filePath: `${process.cwd()}/migrations/3_x/migration.sql`, text: SQL }] }] });
    expect((await runRuleCases(suggesting, { valid: [], invalid: [invalid] }))[0]).toContain("add `suggestions`");
    const right = { messageId: "keep", output: "", files: [{ filePath: "3_x/migration.sql", text: SQL }] };
    expect(await runRuleCases(suggesting, { valid: [], invalid: [{ ...invalid, errors: [{ messageId: "drop", suggestions: [right] }] }] })).toEqual([]);
    const wrong = await runRuleCases(suggesting, { valid: [], invalid: [{ ...invalid, errors: [{ messageId: "drop", suggestions: [{ ...right, output: "x", files: [] }] }] }] });
    expect(wrong[0]).toMatch(/suggestion 1: output differs[\s\S]*suggestion 1: files differ/);
  });
});

describe("moving a statement to a migration that runs right after", () => {
  const context = (names: string[], index: number) => ({ migration: { name: names[index]!, index, entry: { dir: `/p/migrations/${names[index]}` } } as never, migrationName: (i: number) => names[i] });

  it("names a folder that sorts right after this one (Prisma applies folders in byte order), unless one of the history sorts between", () => {
    expect(laterMigration(context(["20240101_a", "20240102_b"], 0), "create_Post_idx")).toEqual({ name: "20240101_a_1_create_post_idx", filePath: "/p/migrations/20240101_a_1_create_post_idx/migration.sql" });
    // an earlier split-off of this migration may come first; a folder between, or the same name, may not
    expect(laterMigration(context(["20240101_a", "20240101_a_1_create_x", "20240102_b"], 0), "create_y")?.name).toBe("20240101_a_1_create_y");
    expect(laterMigration(context(["20240101_a", "20240101_a_0_other", "20240102_b"], 0), "create_y")).toBeNull();
    expect(laterMigration(context(["20240101_a", "20240101_a_1_create_y"], 0), "create_y")).toBeNull();
  });

  it("takes a statement out with its semicolon, its line and Prisma's marker comment, leaving one blank line", () => {
    const text = `-- AlterTable\r\nALTER TABLE "T" ADD COLUMN "a" INT;\r\n\r\n-- CreateIndex\r\nCREATE INDEX "i" ON "T"("a");\r\n\r\n-- AddForeignKey\r\nALTER TABLE "U" ADD x;\r\n`;
    const start = text.indexOf("CREATE");
    const statement = { range: { start, end: text.indexOf(";", start) } } as never;
    const { range } = removeStatement({ text }, statement);
    expect(text.slice(0, range[0]) + text.slice(range[1])).toBe(`-- AlterTable\r\nALTER TABLE "T" ADD COLUMN "a" INT;\r\n\r\n-- AddForeignKey\r\nALTER TABLE "U" ADD x;\r\n`);
  });
});
