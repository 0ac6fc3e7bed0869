import { describe, expect, it } from "vitest";
import { blockedBy, isBinaryCoercible, isNarrowing, locksOf } from "../../src/dialects/postgres/locks.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import type { Operation, TypeSpec } from "../../src/types.js";

async function op(sql: string): Promise<Operation> {
  const file = await parseSqlFile("m.sql", sql);
  buildOperations(file);
  return file.statements[0]!.operations[0]!;
}
const t = (name: string, ...modifiers: number[]): TypeSpec => ({ name, schema: null, modifiers, arrayDims: 0, text: name });

describe("locks", () => {
  it.each([
    ['CREATE INDEX "i" ON "T"("a");', "SHARE", "index-build"],
    ['CREATE INDEX CONCURRENTLY "i" ON "T"("a");', "SHARE UPDATE EXCLUSIVE", "index-build"],
    ['ALTER TABLE "T" ADD COLUMN "a" INT;', "ACCESS EXCLUSIVE", "instant"],
    ['ALTER TABLE "T" ADD COLUMN "a" UUID NOT NULL DEFAULT gen_random_uuid();', "ACCESS EXCLUSIVE", "rewrite"],
    ['ALTER TABLE "T" ALTER COLUMN "a" SET NOT NULL;', "ACCESS EXCLUSIVE", "scan"],
    ['ALTER TABLE "T" ADD CONSTRAINT "c" CHECK ("a" > 0) NOT VALID;', "ACCESS EXCLUSIVE", "instant"],
    ['ALTER TABLE "T" VALIDATE CONSTRAINT "c";', "SHARE UPDATE EXCLUSIVE", "scan"],
    ['ALTER TABLE "T" ADD CONSTRAINT "T_key" UNIQUE USING INDEX "i";', "ACCESS EXCLUSIVE", "instant"],
    ["VACUUM FULL \"T\";", "ACCESS EXCLUSIVE", "rewrite"],
    ["LOCK TABLE \"T\" IN SHARE MODE;", "SHARE", "instant"],
    ['ALTER TABLE "P" DETACH PARTITION "C" CONCURRENTLY;', "SHARE UPDATE EXCLUSIVE", "instant"],
    ['ALTER TABLE "public"."T" SET SCHEMA "audit";', "ACCESS EXCLUSIVE", "instant"],
  ])("%s -> %s (%s)", async (sql, mode, duration) => {
    const [lock] = locksOf(await op(sql), { postgresVersion: 14 });
    expect(lock).toMatchObject({ mode, duration });
  });

  it("DROP INDEX locks the index's table, when the history knows it: ACCESS EXCLUSIVE, SHARE UPDATE EXCLUSIVE with CONCURRENTLY", async () => {
    const indexTable = { schema: "public", name: "User" };
    expect(locksOf(await op('DROP INDEX "User_email_key";'), { postgresVersion: 14, indexTable })).toEqual([{ table: indexTable, mode: "ACCESS EXCLUSIVE", duration: "instant" }]);
    expect(locksOf(await op('DROP INDEX CONCURRENTLY "User_email_key";'), { postgresVersion: 14, indexTable })).toEqual([{ table: indexTable, mode: "SHARE UPDATE EXCLUSIVE", duration: "instant" }]);
    expect(locksOf(await op('DROP INDEX "User_email_key";'), { postgresVersion: 14 })).toEqual([]);
  });

  it("a constant default rewrites the table only before Postgres 11", async () => {
    const add = await op('ALTER TABLE "T" ADD COLUMN "a" INT NOT NULL DEFAULT 0;');
    expect(locksOf(add, { postgresVersion: 10 })[0]!.duration).toBe("rewrite");
    expect(locksOf(add, { postgresVersion: 11 })[0]!.duration).toBe("instant");
  });

  it("a foreign key locks both tables", async () => {
    const locks = locksOf(await op('ALTER TABLE "Post" ADD CONSTRAINT "f" FOREIGN KEY ("u") REFERENCES "User"("id");'), { postgresVersion: 14 });
    expect(locks.map((l) => [l.table.name, l.mode, l.duration])).toEqual([["Post", "SHARE ROW EXCLUSIVE", "scan"], ["User", "SHARE ROW EXCLUSIVE", "scan"]]);
  });

  it("says what a mode blocks", () => {
    expect(blockedBy("ACCESS EXCLUSIVE")).toBe("reads and writes");
    expect(blockedBy("SHARE")).toBe("writes");
    expect(blockedBy("SHARE UPDATE EXCLUSIVE")).toBe("nothing");
  });
});

describe("type changes", () => {
  it.each([
    [t("varchar", 10), t("varchar", 20), true],
    [t("varchar", 20), t("varchar", 10), false],
    [t("varchar", 10), t("text"), true],
    [t("text"), t("varchar"), true],
    [t("numeric", 10, 2), t("numeric", 12, 2), true],
    [t("numeric", 10, 2), t("numeric", 12, 3), false],
    [t("int4"), t("int8"), false],
    [t("cidr"), t("inet"), true],
  ])("%o -> %o binary-coercible: %s", (from, to, expected) => {
    expect(isBinaryCoercible(from, to)).toBe(expected);
  });

  it.each([
    [t("text"), t("varchar", 50), null, true],
    [t("varchar", 100), t("varchar", 50), null, true],
    [t("int8"), t("int4"), null, true],
    [t("int4"), t("int8"), null, false],
    [t("numeric", 10, 2), t("numeric", 8, 2), null, true],
    [t("text"), t("int4"), '"a"::integer', true],
  ])("%o -> %o narrows: %s", (from, to, using, expected) => {
    expect(isNarrowing(from, to, using)).toBe(expected);
  });
});
