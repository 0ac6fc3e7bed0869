/**
 * Hostile SQL through the API (`lintText`) and the parser: every case must
 * end with findings that point inside the file, a parse-error finding where
 * the SQL is broken, and the statements around it still linted.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lintText } from "../../src/api/lint-text.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import type { LintMessage } from "../../src/engine/results.js";
import { DROP_SQL, INIT_SQL, expectInside, ruleIds } from "./helpers.js";
import { fcSettings } from "../property/settings.js";

const NAME = "20240102000000_hostile_input";

/** Lints `sql` as the migration after the init one; checks the invariants; returns its messages. */
async function lintOne(sql: string, options: { config?: Parameters<typeof lintText>[0]["config"] } = {}): Promise<LintMessage[]> {
  const results = await lintText({ migrations: [{ name: "20240101000000_init", sql: INIT_SQL }, { name: NAME, sql }], ...options });
  expect(results).toHaveLength(1);
  const messages = results[0]!.messages;
  expectInside(messages, sql, NAME);
  return messages;
}

const parseErrors = (messages: LintMessage[]) => messages.filter((m) => m.ruleId === "parse-error");
const at = (messages: LintMessage[], ruleId: string) => messages.filter((m) => m.ruleId === ruleId).map((m) => m.line);

describe("broken SQL", () => {
  it("a statement truncated at the end of the file", async () => {
    const messages = await lintOne(`${DROP_SQL}ALTER TABLE "User" ADD COLUMN`);
    expect(at(messages, "destructive-change")).toEqual([2]);
    expect(parseErrors(messages)).toHaveLength(1);
    expect(parseErrors(messages)[0]).toMatchObject({ line: 3, fatal: true });
    expect(parseErrors(messages)[0]!.message).toMatch(/syntax error at end of input/);
  });

  it("a statement truncated in the middle: the statements after it are still linted", async () => {
    const messages = await lintOne(`ALTER TABLE "User" ADD COLUMN "x";\n${DROP_SQL}`);
    expect(parseErrors(messages).map((m) => m.line)).toEqual([1]);
    expect(at(messages, "destructive-change")).toEqual([3]);
  });

  it.each([
    ["an unterminated string", `INSERT INTO "User" VALUES (1, 'abc);\nSELECT 1;\n`, 3, /unterminated quoted string/],
    ["an unterminated quoted name", `SELECT "abc;\nSELECT 1;\n`, 3, /unterminated quoted identifier/],
    ["an unterminated dollar quote", `DO $body$ BEGIN\n  PERFORM 1;\nEND;\n`, 3, /unterminated dollar-quoted string/],
    ["an unterminated block comment", `/* nested /* comment */ never closed\nSELECT 1;\n`, 3, /unterminated \/\* comment/],
  ])("%s swallows the rest of the file, as Postgres would, and is reported where it starts", async (_label, tail, line, message) => {
    const messages = await lintOne(`${DROP_SQL}${tail}`);
    expect(at(messages, "destructive-change")).toEqual([2]);
    expect(parseErrors(messages)).toHaveLength(1);
    expect(parseErrors(messages)[0]!.line).toBe(line);
    expect(parseErrors(messages)[0]!.message).toMatch(message);
  });

  it("random bytes become parse errors, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }), async (garbage) => {
        const sql = `${DROP_SQL}${garbage}`;
        const messages = await lintOne(sql);
        // the statement before the garbage is always linted (unless the garbage is an opening quote that Postgres would join to it: not possible after a `;\n`)
        expect(at(messages, "destructive-change")).toEqual([2]);
      }),
      fcSettings(20_240_601, 60),
    );
  });

  it("a NUL byte: reported at its line, the statements after it still linted", async () => {
    // libpg-query reads C strings: it used to stop at the NUL and silently drop the DROP COLUMN after it
    const sql = `SELECT 1;\n\0\n${DROP_SQL}INSERT INTO "User" VALUES (2, 'a\0b');\n`;
    const messages = await lintOne(sql);
    expect(parseErrors(messages)).toHaveLength(1);
    expect(parseErrors(messages)[0]).toMatchObject({ line: 2, column: 1 });
    expect(parseErrors(messages)[0]!.message).toMatch(/2 NUL bytes/);
    expect(at(messages, "destructive-change")).toEqual([4]);
  });

  it("an empty file and a file of comments only: empty-migration alone, never a parse error", async () => {
    for (const sql of ["", "   \n\t\r\n", "-- nothing to do\n/* still /* nothing */ */\n-- end"]) {
      expect((await lintOne(sql)).map((m) => m.ruleId)).toEqual(["empty-migration"]);
    }
  });

  it("mixed CRLF, LF and lone CR line ends keep every finding on its line", async () => {
    const sql = `-- one\r\nSELECT 1;\nSELECT 2;\r\rALTER TABLE "User"\r\n  DROP COLUMN "email";\nSELEC 3;\r\n`;
    const messages = await lintOne(sql);
    expect(at(messages, "destructive-change")).toEqual([6]);
    expect(messages.find((m) => m.ruleId === "destructive-change")).toMatchObject({ column: 3, endLine: 6, endColumn: 22 });
    expect(parseErrors(messages).map((m) => [m.line, m.column])).toEqual([[7, 1]]);
  });

  it("a 1 MB line is linted, and the finding after it is on line 2", async () => {
    const values = Array.from({ length: 60_000 }, (_, i) => `(${i}, 'user${i}@example.com')`).join(", ");
    const sql = `INSERT INTO "User" ("id", "email") VALUES ${values};\n${DROP_SQL.replace("-- DropColumn\n", "")}`;
    expect(sql.length).toBeGreaterThan(1_000_000);
    const messages = await lintOne(sql); // the test's timeout is the hang guard
    expect(at(messages, "destructive-change")).toEqual([2]);
    expect(parseErrors(messages)).toEqual([]);
  });
});

describe("statements the parser cannot nest that deep", () => {
  it("10,000 nested parentheses: a parse-error finding, the next statement still linted", async () => {
    const sql = `SELECT ${"(".repeat(10_000)}1${")".repeat(10_000)};\n${DROP_SQL}`;
    const messages = await lintOne(sql);
    expect(parseErrors(messages)).toHaveLength(1);
    expect(parseErrors(messages)[0]!.line).toBe(1);
    expect(parseErrors(messages)[0]!.message).toMatch(/nested too deeply/);
    expect(at(messages, "destructive-change")).toEqual([3]);
  });

  it("an expression deep enough to overflow the parser's stack does not poison later parses", async () => {
    // 30,000 terms of a+b+... make a 30,000-deep tree: libpg-query's WASM overflows the stack
    // ("Maximum call stack size exceeded") without restoring its own stack pointer. About 25 such
    // traps used to leave the module broken: every later parse failed with "memory access out of bounds".
    const deep = `SELECT ${"1+".repeat(30_000)}1;\n`;
    for (let i = 0; i < 15; i++) {
      // two traps each: the whole file, then the statement alone
      const file = await parseSqlFile("deep.sql", deep);
      expect(file.parseErrors).toHaveLength(1);
      expect(file.parseErrors[0]!.message).toMatch(/nested too deeply/);
    }
    // parses that need a deep (but legal) stack still work, and ordinary ones too
    const nested = await parseSqlFile("nested.sql", `SELECT ${"(SELECT ".repeat(1_500)}1${")".repeat(1_500)};\nCREATE TABLE "A" ("id" INT);\n`);
    expect(nested.parseErrors).toEqual([]);
    expect(nested.statements.map((s) => s.nodeType)).toEqual(["SelectStmt", "CreateStmt"]);
    const messages = await lintOne(`${deep}${DROP_SQL}`);
    expect(parseErrors(messages)).toHaveLength(1);
    expect(at(messages, "destructive-change")).toEqual([3]);
  });
});

describe("statement boundaries when a file does not parse whole", () => {
  it("keeps a BEGIN ATOMIC function body (semicolons, CASE ... END) as one statement", async () => {
    const sql = [
      `CREATE FUNCTION "f"(x int) RETURNS int LANGUAGE sql`,
      `BEGIN ATOMIC`,
      `  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;`,
      `  SELECT 2;`,
      `END;`,
      `SELEC broken;`,
      `ALTER TABLE "User" DROP COLUMN "email";`,
    ].join("\n");
    const file = await parseSqlFile("m.sql", sql);
    expect(file.statements.map((s) => [s.nodeType, s.range.loc.start.line])).toEqual([
      ["CreateFunctionStmt", 1],
      [null, 6],
      ["AlterTableStmt", 7],
    ]);
    const messages = await lintOne(sql);
    // the body's END used to be split off and read as a COMMIT without BEGIN
    expect(ruleIds(messages)).not.toContain("transaction-balance");
    expect(parseErrors(messages).map((m) => m.line)).toEqual([6]);
    expect(at(messages, "destructive-change")).toEqual([7]);
  });

  it("keeps CREATE RULE ... DO (a; b) together, and still localises an unclosed parenthesis", async () => {
    const sql = [
      `CREATE RULE "r" AS ON INSERT TO "User" DO ALSO (NOTIFY a; NOTIFY b);`,
      `CREATE TABLE "Broken" ("id" INT;`,
      `CREATE TABLE "Fine" ("id" INT);`,
      `ALTER TABLE "User" DROP COLUMN "email";`,
    ].join("\n");
    const file = await parseSqlFile("m.sql", sql);
    expect(file.statements.map((s) => [s.nodeType, s.range.loc.start.line])).toEqual([
      ["RuleStmt", 1],
      [null, 2],
      ["CreateStmt", 3],
      ["AlterTableStmt", 4],
    ]);
    expect(file.parseErrors.map((e) => e.range.loc.start.line)).toEqual([2]);
  });

  it("builds operations for every statement that parses", async () => {
    const file = await parseSqlFile("m.sql", `CREATE TABLE "A" ("id" INT);\nSELEC 1;\nDROP TABLE "A";\n`);
    buildOperations(file);
    expect(file.statements.map((s) => s.operations.map((o) => o.kind))).toEqual([["create-table"], [], ["drop-table"]]);
  });
});
