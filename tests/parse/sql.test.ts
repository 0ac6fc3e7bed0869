import { describe, expect, it } from "vitest";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { byteOffsetMapper, SourceText } from "../../src/parse/source-text.js";

const loc = (r: { loc: { start: { line: number; column: number }; end: { line: number; column: number } } }) =>
  [r.loc.start.line, r.loc.start.column, r.loc.end.line, r.loc.end.column];

describe("statement ranges", () => {
  it("maps each statement to its 1-based lines and columns", async () => {
    const file = await parseSqlFile("m.sql", '-- CreateTable\nCREATE TABLE "A" ("id" INT);\n\nDROP TABLE "B";\n');
    expect(file.statements.map((s) => s.text)).toEqual(['CREATE TABLE "A" ("id" INT)', 'DROP TABLE "B"']);
    expect(loc(file.statements[0]!.range)).toEqual([2, 1, 2, 28]);
    expect(loc(file.statements[1]!.range)).toEqual([4, 1, 4, 15]);
  });

  it("maps CRLF files", async () => {
    const file = await parseSqlFile("m.sql", '-- AlterTable\r\nALTER TABLE "A"\r\n  DROP COLUMN "x";\r\nDROP TABLE "B";\r\n');
    expect(loc(file.statements[0]!.range)).toEqual([2, 1, 3, 18]);
    expect(loc(file.statements[1]!.range)).toEqual([4, 1, 4, 15]);
    expect(file.statements[0]!.operations).toEqual([]); // operations are built by the model layer
  });

  it("strips a UTF-8 BOM without shifting columns", async () => {
    const file = await parseSqlFile("m.sql", '\uFEFFDROP TABLE "A";');
    expect(file.text.startsWith("DROP")).toBe(true);
    expect(loc(file.statements[0]!.range)).toEqual([1, 1, 1, 15]);
  });

  it("maps libpg-query byte offsets past multi-byte characters", async () => {
    // 'é' is 2 bytes, '😀' is 4 bytes and 2 UTF-16 units: the second statement must still start at column 1 of line 2
    const file = await parseSqlFile("m.sql", "SELECT 'é😀';\nDROP TABLE \"Ünïcode\";\nSELECT 1;");
    expect(file.statements.map((s) => s.text)).toEqual(["SELECT 'é😀'", 'DROP TABLE "Ünïcode"', "SELECT 1"]);
    expect(loc(file.statements[1]!.range)).toEqual([2, 1, 2, 21]);
    expect(loc(file.statements[2]!.range)).toEqual([3, 1, 3, 9]);
  });

  it("keeps comments, including Prisma's Warnings block and headers, with their statements", async () => {
    const sql = "/*\n  Warnings:\n\n  - You are about to drop the column `name` on the `User` table.\n*/\n-- AlterTable\nALTER TABLE \"User\" DROP COLUMN \"name\";\n";
    const file = await parseSqlFile("m.sql", sql);
    expect(file.comments.map((c) => c.kind)).toEqual(["block", "line"]);
    expect(file.comments[0]!.text).toContain("Warnings:");
    expect(file.comments[1]!.text.trim()).toBe("AlterTable");
    expect(file.statements[0]!.leadingComments.map((c) => c.text.trim().split("\n")[0])).toEqual(["Warnings:", "AlterTable"]);
    expect(file.parseErrors).toEqual([]);
  });
});

describe("statements that do not parse", () => {
  it("reports the bad statement at its line and still parses the rest", async () => {
    const file = await parseSqlFile("m.sql", 'CREATE TABLE "A" ("id" INT);\nALTER TABLE "A" ADD COLUM "x" INT;\nDROP TABLE "B";\n');
    expect(file.parseErrors).toHaveLength(1);
    expect(file.parseErrors[0]!.message).toMatch(/syntax error/);
    expect(file.parseErrors[0]!.range.loc.start.line).toBe(2);
    expect(file.parseErrors[0]!.range.loc.start.column).toBe(31); // at "INT", where Postgres stops
    expect(file.statements.map((s) => s.nodeType)).toEqual(["CreateStmt", null, "DropStmt"]);
  });

  it("survives unterminated strings, dollar quotes and comments", async () => {
    for (const sql of ["SELECT 'abc", "DO $$ BEGIN", "/* never closed", 'SELECT "x', "SELECT 1; SELECT 'x"]) {
      const file = await parseSqlFile("m.sql", sql);
      expect(file.parseErrors.length).toBeGreaterThan(0);
      for (const e of file.parseErrors) expect(e.range.loc.start.line).toBe(1);
    }
  });

  it("accepts an empty file and a file of comments only", async () => {
    expect((await parseSqlFile("m.sql", "")).statements).toEqual([]);
    const comments = await parseSqlFile("m.sql", "-- nothing\n/* here */\n");
    expect(comments.statements).toEqual([]);
    expect(comments.comments).toHaveLength(2);
  });
});

describe("SourceText", () => {
  it("treats \\n, \\r\\n and a lone \\r as line ends", () => {
    const src = new SourceText("a\nb\r\nc\rd");
    expect(["a", "b", "c", "d"].map((ch) => src.positionAt(src.text.indexOf(ch)))).toEqual([
      { line: 1, column: 1 }, { line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 1 },
    ]);
    expect(src.lineText(2)).toBe("b");
  });

  it("maps UTF-8 byte offsets to string offsets", () => {
    const text = "é😀x";
    const map = byteOffsetMapper(text);
    expect(map(0)).toBe(0);
    expect(map(2)).toBe(1); // after é (2 bytes)
    expect(map(6)).toBe(3); // after 😀 (4 bytes, 2 units)
  });
});
