import { describe, expect, it } from "vitest";
import { sqlite } from "../../src/dialects/sqlite/index.js";
import { Catalog } from "../../src/history/catalog.js";
import { sqliteTypeChange } from "../../src/dialects/sqlite/types.js";
import type { Operation, ParsedSqlFile } from "../../src/types.js";
import { rebuildUser, tagsAndRebuild, usersPostsSessions } from "../rules/sqlite-fixtures.js";

const parse = (sql: string) => sqlite.parseFile("/p/migrations/1_m/migration.sql", sql);
const kinds = (file: ParsedSqlFile) => file.statements.map((s) => s.operations.map((o) => o.kind).join("+"));

/** Parses a history into a catalog and returns the last file, its rebuilds recognised against that history. */
async function afterHistory(history: string[], sql: string): Promise<ParsedSqlFile> {
  const catalog = new Catalog();
  for (const [i, h] of history.entries()) {
    const file = await parse(h);
    sqlite.withHistory!(file, catalog);
    for (const s of file.statements) for (const op of s.operations) catalog.apply(op, i);
  }
  const file = await parse(sql);
  sqlite.withHistory!(file, catalog);
  return file;
}

describe("SQLite parsing", () => {
  it("statements with exact ranges, comments attached, Prisma's PRAGMA shapes read as settings", async () => {
    const file = await parse(rebuildUser);
    expect(file.parseErrors).toEqual([]);
    expect(file.statements.map((s) => s.nodeType)).toEqual(["Pragma", "Pragma", "CreateTable", "Insert", "Drop", "AlterTable", "CreateIndex", "Pragma", "Pragma"]);
    expect(file.statements[0]!.leadingComments.map((c) => c.text)).toEqual([" RedefineTables"]);
    const drop = file.statements[4]!;
    expect(drop.text).toBe('DROP TABLE "User"');
    expect(drop.range.loc.start).toEqual({ line: 10, column: 1 });
    expect(file.statements[1]!.operations[0]).toMatchObject({ kind: "set", name: "foreign_keys", value: "OFF" });
  });

  it("PRAGMA forms of SQLite's grammar, and a malformed one as a parse error at its line", async () => {
    const file = await parse('PRAGMA foreign_key_check;\nPRAGMA foreign_key_check("User");\nPRAGMA main.foreign_keys = on;\nPRAGMA foreign_keys = ;\nCREATE TABLE "a" ("id" INTEGER);');
    expect(file.statements.map((s) => s.operations[0]?.kind ?? null)).toEqual(["other", "other", "set", null, "create-table"]);
    expect(file.parseErrors).toHaveLength(1);
    expect(file.parseErrors[0]!.range.loc.start.line).toBe(4);
  });

  it("a statement the parser rejects is a parse error at the parser's line and column; the rest goes on", async () => {
    const file = await parse('CREATE TABLE "a" ("id" INTEGER);\nALTER TABLE "a"\n  FROBNICATE "x";\nDROP TABLE "a";');
    expect(file.parseErrors).toHaveLength(1);
    expect(file.parseErrors[0]!.range.loc.start.line).toBe(3);
    expect(kinds(file)).toEqual(["create-table", "", "drop-table"]);
  });

  it("a CREATE TRIGGER body keeps its semicolons: one statement", async () => {
    const file = await parse('CREATE TRIGGER "t" AFTER INSERT ON "a" BEGIN UPDATE "a" SET "n" = 1; DELETE FROM "b"; END;\nDROP TABLE "b";');
    expect(file.statements).toHaveLength(2);
    expect(file.statements[1]!.text).toBe('DROP TABLE "b"');
  });

  it("foreign keys keep ON DELETE, table-level and on the column", async () => {
    const file = await parse(usersPostsSessions + '\nCREATE TABLE "Like" ("postId" INTEGER REFERENCES "Post" ("id") ON DELETE CASCADE);');
    const fks = file.statements.flatMap((s) => s.operations).flatMap((o) => (o.kind === "create-table" ? o.constraints : [])).filter((c) => c.kind === "foreign-key");
    expect(fks.map((c) => [c.references!.table.name, c.references!.onDelete])).toEqual([["User", "CASCADE"], ["User", "SET NULL"], ["Post", "CASCADE"]]);
  });
});

describe("Prisma's table rebuild", () => {
  const rebuildOf = (file: ParsedSqlFile) => file.statements.flatMap((s) => s.operations).find((o): o is Extract<Operation, { kind: "rebuild-table" }> => o.kind === "rebuild-table");

  it("is one rebuild-table on the DROP TABLE, with what the copy keeps: not a dropped table", async () => {
    const file = await afterHistory([usersPostsSessions], rebuildUser);
    expect(kinds(file)).not.toContain("drop-table");
    expect(rebuildOf(file)).toMatchObject({ table: { name: "User" }, from: { name: "new_User" }, dropped: [], added: [], copied: [{ column: "email", from: "email" }, { column: "id", from: "id" }] });
  });

  it("a column left out of the INSERT ... SELECT is a drop-column, a new column it does not fill an add-column", async () => {
    const file = await afterHistory([tagsAndRebuild.history], tagsAndRebuild.sql);
    expect(rebuildOf(file)).toMatchObject({ dropped: ["draft"], added: ["slug"] });
    const copy = file.statements.find((s) => s.nodeType === "Insert")!;
    expect(copy.operations.map((o) => o.kind)).toEqual(["data-change", "drop-column", "add-column"]);
  });

  it("a copy written by hand in several filtered INSERTs is the author's mapping: nothing is read as dropped or added", async () => {
    const sql = `CREATE TABLE "new_Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL, "kind" TEXT NOT NULL);
INSERT INTO "new_Tag" ("id", "label", "kind") SELECT "id", "label", 'draft' FROM "Tag" WHERE "draft" = 1;
INSERT INTO "new_Tag" ("id", "label", "kind") SELECT "id", "label", 'live' FROM "Tag" WHERE "draft" = 0;
DROP TABLE "Tag";
ALTER TABLE "new_Tag" RENAME TO "Tag";`;
    const file = await afterHistory([tagsAndRebuild.history], sql);
    expect(rebuildOf(file)).toMatchObject({ dropped: [], added: [] });
    expect(kinds(file)).toEqual(["create-table", "data-change", "data-change", "rebuild-table", "rename-table"]);
  });

  it("a copied column whose declared type changed is a set-type; Prisma's coalesce(col, default) copy is no set-not-null", async () => {
    const retype = tagsAndRebuild.sql.replace('"label" TEXT NOT NULL', '"label" INTEGER NOT NULL');
    const copy = (await afterHistory([tagsAndRebuild.history], retype)).statements.find((s) => s.nodeType === "Insert")!;
    expect(copy.operations.filter((o) => o.kind === "alter-column")).toMatchObject([{ column: "label", change: { kind: "set-type", type: { name: "integer" } } }]);
    const coalesced = (await afterHistory([usersPostsSessions], rebuildUser)).statements.find((s) => s.nodeType === "Insert")!;
    expect(coalesced.operations.map((o) => o.kind)).toEqual(["data-change"]);
  });

  it("a table rebuilt twice in one file (pingvin-share's 20221230120407): each RENAME pairs with the CREATE TABLE just before it", async () => {
    const rebuild = (notNull: string) => `CREATE TABLE "new_Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT ${notNull});
INSERT INTO "new_Tag" ("id", "label") SELECT "id", "label" FROM "Tag";
DROP TABLE "Tag";
ALTER TABLE "new_Tag" RENAME TO "Tag";`;
    const file = await afterHistory([tagsAndRebuild.history], `${rebuild("")}\nUPDATE "Tag" SET "label" = 'x' WHERE "label" IS NULL;\n${rebuild("NOT NULL")}`);
    expect(kinds(file).filter((k) => k.includes("drop-table") || k.includes("rebuild-table"))).toEqual(["rebuild-table", "rebuild-table"]);
  });

  it("without the copy (the INSERT commented out) the old table's rows are dropped: drop-table stays", async () => {
    const sql = tagsAndRebuild.sql.replace('INSERT INTO "new_Tag"', '-- INSERT INTO "new_Tag"');
    const file = await afterHistory([tagsAndRebuild.history], sql);
    expect(rebuildOf(file)).toBeUndefined();
    expect(kinds(file)).toContain("drop-table");
  });

  it("the catalog ends with the new table under the old name, as old as the table it replaced", async () => {
    const catalog = new Catalog();
    for (const [i, sql] of [tagsAndRebuild.history, tagsAndRebuild.sql].entries()) {
      const file = await parse(sql);
      sqlite.withHistory!(file, catalog);
      for (const s of file.statements) for (const op of s.operations) catalog.apply(op, i);
    }
    const tag = catalog.getTable({ schema: null, name: "Tag" })!;
    expect([...tag.columns.keys()]).toEqual(["id", "label", "slug"]);
    expect(tag.createdIn).toBe(0);
    expect(catalog.getTable({ schema: null, name: "new_Tag" })).toBeUndefined();
  });
});

describe("SQLite runner model", () => {
  const input = { detected: null, prismaConfigText: null };
  it("prisma migrate deploy runs a SQLite file statement by statement (rusqlite execute_batch), whatever the version", () => {
    expect(sqlite.runner({ ...input, configuredVersion: "5.0.0" }).model).toBe("per-statement");
    expect(sqlite.runner({ ...input, configuredVersion: "7.4.0" }).model).toBe("per-statement");
  });
  it("the runner config key: D1 and other transactional runners apply the file in one transaction", () => {
    expect(sqlite.runner({ ...input, configuredRunner: "d1" })).toMatchObject({ model: "script-transaction", source: "runner: d1" });
    expect(sqlite.runner({ ...input, configuredRunner: "transaction" }).model).toBe("script-transaction");
    expect(sqlite.runner({ ...input, configuredRunner: "prisma" }).model).toBe("per-statement");
  });
});

describe("SQLite's type table (sqliteTypeChange)", () => {
  const t = (text: string) => ({ name: text.toLowerCase().replace(/\(.*$/, ""), schema: null, modifiers: [], arrayDims: 0, text });
  it("by type affinity: a value is converted only where that is lossless, otherwise kept; the rowid refuses non-integers", () => {
    expect(sqliteTypeChange(t("INTEGER"), t("BIGINT")).kind).toBe("widening");
    expect(sqliteTypeChange(t("INTEGER"), t("TEXT")).kind).toBe("widening");
    expect(sqliteTypeChange(t("INTEGER"), t("REAL")).kind).toBe("widening");
    expect(sqliteTypeChange(t("BIGINT"), t("INTEGER"))).toMatchObject({ kind: "narrowing", fails: false });
    expect(sqliteTypeChange(t("TEXT"), t("INTEGER"))).toMatchObject({ kind: "narrowing", fails: false, why: expect.stringContaining("stay stored as they are") });
    expect(sqliteTypeChange(t("TEXT"), t("DATETIME"))).toMatchObject({ kind: "narrowing", fails: false });
    expect(sqliteTypeChange(t("BLOB"), t("TEXT"))).toMatchObject({ kind: "narrowing", why: "BLOB values stay stored as BLOBs" });
    expect(sqliteTypeChange(t("BLOB"), t("INTEGER"), { primaryKey: true })).toMatchObject({ kind: "narrowing", fails: true });
    expect(sqliteTypeChange(t("INTEGER"), t("INTEGER"), { primaryKey: true }).kind).toBe("same");
  });
});

describe("data changes", () => {
  it("keyFilter: the columns a WHERE pins to constants (pingvin-share's config UPDATEs, where \"x\" is a string)", async () => {
    const filters = async (sql: string) => (await parse(sql)).statements[0]!.operations.map((o) => (o.kind === "data-change" ? o.keyFilter : undefined))[0];
    expect(await filters(`UPDATE config SET category = "internal" WHERE key = "SETUP_FINISHED";`)).toEqual(["key"]);
    expect(await filters(`UPDATE Config SET value = value || ' hours' WHERE name = "maxExpiration" OR name = "sessionDuration";`)).toEqual(["name"]);
    expect(await filters(`DELETE FROM "User" WHERE "id" IN (1, 2) AND "name" IS NULL;`)).toEqual(["id"]);
    expect(await filters(`UPDATE "User" SET "name" = '' WHERE "name" IS NULL;`)).toEqual([]);
  });
});
