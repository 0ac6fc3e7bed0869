import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/history/catalog.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";

async function replay(migrations: string[]): Promise<Catalog> {
  const catalog = new Catalog();
  for (const [index, sql] of migrations.entries()) {
    const file = await parseSqlFile(`${index}.sql`, sql);
    buildOperations(file);
    for (const s of file.statements) for (const op of s.operations) catalog.apply(op, index);
  }
  return catalog;
}

describe("history catalog", () => {
  it("replays tables, columns, types and nullability in order", async () => {
    const catalog = await replay([
      'CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      'ALTER TABLE "User" ADD COLUMN "age" INTEGER;',
      'ALTER TABLE "User" ALTER COLUMN "age" SET NOT NULL, ALTER COLUMN "name" SET DATA TYPE VARCHAR(100);',
    ]);
    const user = catalog.getTable({ schema: null, name: "User" })!;
    expect([...user.columns.keys()]).toEqual(["id", "name", "age"]);
    expect(user.columns.get("age")).toMatchObject({ notNull: true, addedIn: 1, type: { text: "int4" } });
    expect(user.columns.get("name")).toMatchObject({ type: { text: "varchar(100)" }, addedIn: 0 });
    expect(user.constraints.get("User_pkey")).toMatchObject({ kind: "primary-key", columns: ["id"] });
    expect(user.createdIn).toBe(0);
  });

  it("keys tables by schema: public.User and auth.User are different tables", async () => {
    const catalog = await replay(['CREATE TABLE "public"."User" ("a" INT);', 'CREATE TABLE "auth"."User" ("b" INT);']);
    expect(catalog.getColumn({ schema: null, name: "User" }, "a")).toBeDefined(); // unqualified = public
    expect(catalog.getColumn({ schema: "auth", name: "User" }, "b")).toBeDefined();
    expect(catalog.getColumn({ schema: "auth", name: "User" }, "a")).toBeUndefined();
  });

  it("follows renames of tables, columns, indexes and enum types", async () => {
    const catalog = await replay([
      `CREATE TYPE "Role" AS ENUM ('A', 'B'); CREATE TABLE "T" ("c" INT); CREATE INDEX "T_c_idx" ON "T"("c");`,
      `ALTER TABLE "T" RENAME TO "U"; ALTER TABLE "U" RENAME COLUMN "c" TO "d"; ALTER INDEX "T_c_idx" RENAME TO "U_d_idx"; ALTER TYPE "Role" ADD VALUE 'C' AFTER 'A';`,
    ]);
    expect(catalog.getTable({ schema: null, name: "T" })).toBeUndefined();
    expect(catalog.getColumn({ schema: null, name: "U" }, "d")).toBeDefined();
    expect(catalog.getIndex({ schema: null, name: "U_d_idx" })).toMatchObject({ table: "U" });
    expect(catalog.getEnum({ schema: null, name: "Role" })!.values).toEqual(["A", "C", "B"]);
  });

  it("drops what DROP drops", async () => {
    const catalog = await replay([
      'CREATE TABLE "T" ("c" INT, "d" INT); CREATE INDEX "i" ON "T"("c"); CREATE TYPE "E" AS ENUM (\'x\');',
      'ALTER TABLE "T" DROP COLUMN "d"; DROP TYPE "E";',
      'DROP TABLE "T";',
    ]);
    expect(catalog.getTable({ schema: null, name: "T" })).toBeUndefined();
    expect(catalog.getIndex({ schema: null, name: "i" })).toBeUndefined();
    expect(catalog.getEnum({ schema: null, name: "E" })).toBeUndefined();
  });

  it("knows which tables a TRUNCATE or DELETE without WHERE emptied, until something may insert again", async () => {
    const user = { schema: null, name: "User" };
    const state = async (sql: string) => (await replay(['CREATE TABLE "User" ("id" INT); CREATE TABLE "Log" ("id" INT);', sql])).getTable(user)!.emptied ?? null;
    expect(await state('TRUNCATE "public"."User";')).toMatchObject({ migration: 1, statement: 0, line: 1, truncated: true });
    expect(await state('SELECT 1;\nDELETE FROM "User";')).toMatchObject({ statement: 1, line: 2, truncated: false });
    expect(await state('DELETE FROM "User" WHERE "id" = 1;')).toBeNull();
    expect(await state('TRUNCATE "User"; INSERT INTO "User" VALUES (1);')).toBeNull();
    expect(await state('TRUNCATE "User"; INSERT INTO "Log" VALUES (1); UPDATE "User" SET "id" = 2;')).toMatchObject({ truncated: true });
    for (const mayInsert of ["DO $$ BEGIN NULL; END $$;", "SELECT fill();", "COPY \"User\" FROM STDIN;", "CALL fill();"]) {
      expect(await state(`TRUNCATE "User"; ${mayInsert}`)).toBeNull();
    }
  });
});
