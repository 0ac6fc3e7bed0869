import { describe, expect, it } from "vitest";
import { parseSqlFile, SEED_PARSE_CHARS } from "../../src/dialects/postgres/parse.js";
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

describe("seed data in a large file", () => {
  /** `count` statements of `rows` rows each inserting into `table`. */
  const inserts = (table: string, count: number, rows: number, from: number): string[] =>
    Array.from({ length: count }, (_, s) => {
      const values = Array.from({ length: rows }, (_, r) => `(${from + s * rows + r}, 'user${from + s * rows + r}@example.com')`);
      return `INSERT INTO "public"."${table}" ("id", "email") VALUES\n${values.join(",\n")};\n`;
    });

  it("past the budget, INSERT ... VALUES rows are read for their table only, once per run, with a warning; other statements are parsed whole", async () => {
    const seed = inserts("User", 100, 1000, 0);
    // the first statement whose rows take the INSERT text of the file past the budget
    let total = 0;
    const firstSkipped = seed.findIndex((s) => (total += s.trimEnd().length - 1) > SEED_PARSE_CHARS);
    expect(firstSkipped).toBeGreaterThan(0);
    const sql = [
      'CREATE TABLE "Copy" ("id" INT);\n',
      ...seed,
      'UPDATE "User" SET "email" = lower("email");\n',
      ...inserts("User", 3, 2, 20_000_000),
      'INSERT INTO "Copy" SELECT "id" FROM "User";\n',
      "INSERT INTO \"Tag\" VALUES (1, 'a;b'), (2, ')');\n",
      'ALTER TABLE "User" DROP COLUMN "email";\n',
    ].join("");
    const file = await parseSqlFile("m.sql", sql);
    const types = file.statements.map((s) => s.nodeType);
    // the rows up to the budget parse whole; then one statement a run of inserts into the same table (a run is cut by the UPDATE)
    expect(types).toEqual(["CreateStmt", ...Array(firstSkipped + 1).fill("InsertStmt"), "UpdateStmt", "InsertStmt", "InsertStmt", "InsertStmt", "AlterTableStmt"]);
    const head = (statement: string) => statement.slice(0, statement.indexOf("),") + 1);
    expect(file.statements[1 + firstSkipped]!.text).toBe(head(seed[firstSkipped]!));
    const afterUpdate = file.statements.at(-4)!;
    expect(afterUpdate.text).toBe(head(inserts("User", 1, 2, 20_000_000)[0]!));
    expect((afterUpdate.node as { InsertStmt: { relation: { relname: string } } }).InsertStmt.relation.relname).toBe("User");
    // an INSERT ... SELECT is parsed whole, and so is a VALUES insert into a new table (a string with ";" and ")" in it)
    expect(file.statements.at(-3)!.text).toBe('INSERT INTO "Copy" SELECT "id" FROM "User"');
    expect(file.statements.at(-2)!.text).toBe("INSERT INTO \"Tag\" VALUES (1, 'a;b')");
    // one warning, at the first statement read in part, saying how many and up to where
    expect(file.parseErrors).toHaveLength(1);
    const [warning] = file.parseErrors;
    expect(warning!.kind).toBe("skipped");
    expect(warning!.range.loc.start.line).toBe(2 + firstSkipped * 1001);
    const lastSkippedLine = sql.split("\n").length - 2; // the insert into "Tag"
    expect(warning!.message).toMatch(new RegExp(`^${100 - firstSkipped + 4} INSERT \\.\\.\\. VALUES statements from here to line ${lastSkippedLine} \\(\\d\\.\\d MB\\) were read only for the table they insert into`));
    expect(file.statements.at(-1)!.range.loc.start.line).toBe(lastSkippedLine + 1);
  });

  it("a file of rows under the budget is parsed row by row", async () => {
    const sql = inserts("User", 40, 1000, 0).join("");
    expect(sql.length).toBeGreaterThan(1 << 20);
    const file = await parseSqlFile("m.sql", sql);
    expect(file.statements).toHaveLength(40);
    expect(file.parseErrors).toEqual([]);
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
