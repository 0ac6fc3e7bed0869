/**
 * The history catalog against a real Postgres (PGlite, in-process): after each
 * sequence of migrations, the tables, columns (type, nullability), constraints,
 * indexes and enums the catalog holds must be what Postgres itself reports
 * (read with the replay's own introspection, src/replay/introspect.ts).
 */
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../src/history/catalog.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { pgliteDb, type ReplayDb } from "../../src/replay/driver.js";
import { snapshot } from "../../src/replay/introspect.js";
import { catalogShape, postgresShape } from "./shape.js";
import { enumRecreation } from "../rules/prisma-sql.js";

let pglite: PGlite;
let db: ReplayDb;
beforeAll(async () => {
  const { PGlite } = await import("@electric-sql/pglite");
  pglite = await PGlite.create();
  db = pgliteDb(pglite);
}, 90_000);
afterAll(async () => {
  await db?.close();
});

/** Runs the migrations on Postgres and through the catalog, and compares what each holds afterwards. */
async function expectCatalogMatchesPostgres(migrations: string[]): Promise<Catalog> {
  await db.exec("DROP SCHEMA IF EXISTS public, audit CASCADE; CREATE SCHEMA public;");
  const catalog = new Catalog();
  for (const [index, sql] of migrations.entries()) {
    await db.exec(sql);
    const file = await parseSqlFile(`${index}.sql`, sql);
    buildOperations(file);
    for (const s of file.statements) for (const op of s.operations) catalog.apply(op, index);
  }
  expect(catalogShape(catalog)).toEqual(postgresShape(await snapshot(db)));
  return catalog;
}

const ROLE = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "roles" "Role"[],
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;

/** Prisma 5 writes unqualified names; Prisma 6 and 7 qualify them with "public". */
const RECREATION = { values: "'USER', 'ADMIN'", columns: [["User", "role"], ["User", "roles[]"]] as Array<[string, string]>, defaultValue: "'USER'" };
const PRISMA_5_RECREATION = enumRecreation(RECREATION);
const PRISMA_6_RECREATION = enumRecreation({ ...RECREATION, schema: '"public".' });

describe("the catalog equals what Postgres reports", () => {
  it("after Prisma 5's enum recreation: the columns are of the renamed type", async () => {
    const catalog = await expectCatalogMatchesPostgres([ROLE, PRISMA_5_RECREATION]);
    expect(catalog.getColumn({ schema: null, name: "User" }, "role")!.type).toMatchObject({ name: "Role", text: "Role" });
    expect(catalog.getColumn({ schema: null, name: "User" }, "roles")!.type).toMatchObject({ name: "Role", text: "Role[]" });
  });

  it("after Prisma 6's enum recreation with \"public\"-qualified names", async () => {
    const catalog = await expectCatalogMatchesPostgres([ROLE, PRISMA_6_RECREATION]);
    expect(catalog.getColumn({ schema: "public", name: "User" }, "role")!.type).toMatchObject({ name: "Role", text: "public.Role" });
  });

  it("after two recreations of the same enum in a row", async () => {
    await expectCatalogMatchesPostgres([ROLE, PRISMA_5_RECREATION, enumRecreation({ ...RECREATION, values: "'ADMIN', 'USER'" })]);
  });

  it("after Prisma's renames of a model: table, primary key, foreign key and indexes", async () => {
    await expectCatalogMatchesPostgres([
      `CREATE TABLE "Team" ("id" TEXT NOT NULL, CONSTRAINT "Team_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Member" ("id" TEXT NOT NULL, "teamId" TEXT NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "Member_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "Member_email_key" ON "Member"("email");
CREATE INDEX "Member_teamId_idx" ON "Member"("teamId");
ALTER TABLE "Member" ADD CONSTRAINT "Member_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
      `-- AlterTable
ALTER TABLE "public"."Member" RENAME TO "Person";
ALTER TABLE "public"."Person" RENAME CONSTRAINT "Member_pkey" TO "Person_pkey";
ALTER TABLE "public"."Person" RENAME COLUMN "teamId" TO "groupId";

-- RenameForeignKey
ALTER TABLE "public"."Person" RENAME CONSTRAINT "Member_teamId_fkey" TO "Person_groupId_fkey";

-- RenameIndex
ALTER INDEX "public"."Member_email_key" RENAME TO "Person_email_key";

-- RenameIndex
ALTER INDEX "Member_teamId_idx" RENAME TO "Person_groupId_idx";`,
    ]);
  });

  it("ALTER INDEX on the index of a primary key or unique constraint renames the constraint too, and RENAME CONSTRAINT the index", async () => {
    const catalog = await expectCatalogMatchesPostgres([
      `CREATE TABLE "T" ("a" INT PRIMARY KEY, "b" INT UNIQUE, "c" INT, "d" INT REFERENCES "T"("a"));
ALTER TABLE "T" ADD UNIQUE ("c"), ADD CHECK ("c" > 0);`,
      `ALTER INDEX "T_pkey" RENAME TO "T_pk";
ALTER TABLE "T" RENAME CONSTRAINT "T_b_key" TO "T_b_unique";
ALTER INDEX "T_c_key" RENAME TO "T_c_unique";`,
    ]);
    expect([...catalog.getTable({ schema: null, name: "T" })!.constraints.keys()].sort()).toEqual(["T_b_unique", "T_c_check", "T_c_unique", "T_d_fkey", "T_pk"]);
  });

  it("ADD CONSTRAINT ... USING INDEX: the index backs the constraint under the constraint's name", async () => {
    await expectCatalogMatchesPostgres([
      `CREATE TABLE "T" ("a" INT NOT NULL, "b" INT);
CREATE UNIQUE INDEX "T_b_idx" ON "T"("b");`,
      `ALTER TABLE "T" ADD CONSTRAINT "T_b_key" UNIQUE USING INDEX "T_b_idx";`,
    ]);
  });

  it("renamed columns are renamed in indexes and constraints; dropped columns take their indexes with them", async () => {
    await expectCatalogMatchesPostgres([
      `CREATE TABLE "T" ("a" INT NOT NULL, "b" INT, "c" INT, CONSTRAINT "T_pkey" PRIMARY KEY ("a"));
CREATE INDEX "T_b_c_idx" ON "T"("b", "c");
CREATE INDEX "T_c_idx" ON "T"("c");`,
      `ALTER TABLE "T" RENAME COLUMN "b" TO "bb";
ALTER TABLE "T" RENAME COLUMN "a" TO "id";
ALTER TABLE "T" DROP COLUMN "c";`,
    ]);
  });

  it("schema-qualified tables and types, and ALTER ... SET SCHEMA", async () => {
    const catalog = await expectCatalogMatchesPostgres([
      `CREATE SCHEMA "audit";
CREATE TYPE "public"."Level" AS ENUM ('LOW', 'HIGH');
CREATE TABLE "public"."Log" ("id" INT NOT NULL, "level" "public"."Level" NOT NULL, "other" "Level", CONSTRAINT "Log_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Log_level_idx" ON "public"."Log"("level");
CREATE TABLE "audit"."Log" ("id" INT NOT NULL);`,
      `ALTER TABLE "audit"."Log" RENAME TO "Entry";
ALTER TABLE "public"."Log" SET SCHEMA "audit";
ALTER TYPE "public"."Level" SET SCHEMA "audit";
ALTER TYPE "audit"."Level" RENAME TO "Severity";
ALTER INDEX "audit"."Log_level_idx" RENAME TO "Log_severity_idx";`,
    ]);
    expect(catalog.getColumn({ schema: "audit", name: "Log" }, "other")!.type!.text).toBe("audit.Severity");
  });

  it("CREATE INDEX without a name gets Postgres's name, numbered when it is taken", async () => {
    await expectCatalogMatchesPostgres([
      `CREATE SCHEMA "audit";
CREATE TABLE "audit"."run_executions" ("event_time" TIMESTAMP(3) NOT NULL, "organization_id" TEXT);
CREATE INDEX ON "audit"."run_executions" ("event_time");
CREATE INDEX ON "audit"."run_executions" ("event_time");
CREATE UNIQUE INDEX ON "audit"."run_executions" ("event_time", "organization_id");`,
    ]);
  });

  it.each([
    {
      sql: `TRUNCATE "A";\nDELETE FROM "public"."B";\nDELETE FROM "C" WHERE "id" = 1;\nTRUNCATE "D"; INSERT INTO "D" SELECT 3;\nDELETE FROM "E"; UPDATE "E" SET "id" = 5;`,
      emptied: ["A", "B", "E"],
    },
    // a DO block may insert anywhere: the catalog forgets every emptied table
    { sql: `TRUNCATE "A";\nTRUNCATE "B"; DO $$ BEGIN INSERT INTO "B" VALUES (4); END $$;`, emptied: [] },
  ])("a table the catalog marks emptied holds no row on Postgres: $emptied", async ({ sql, emptied }) => {
    const tables = ["A", "B", "C", "D", "E"];
    const catalog = await expectCatalogMatchesPostgres([tables.map((t) => `CREATE TABLE "${t}" ("id" INT NOT NULL); INSERT INTO "${t}" VALUES (1), (2);`).join("\n"), sql]);
    expect(tables.filter((t) => catalog.getTable({ schema: null, name: t })!.emptied)).toEqual(emptied);
    for (const t of emptied) expect(await db.query(`SELECT 1 FROM "${t}"`)).toEqual([]);
  });

  it("CREATE TEMP TABLE shadows the table of the same name for unqualified names, and is gone in the next migration", async () => {
    const catalog = await expectCatalogMatchesPostgres([
      `CREATE TABLE "User" ("id" INT NOT NULL, "email" TEXT NOT NULL);`,
      `CREATE TEMP TABLE "User" ON COMMIT DROP AS SELECT "id" FROM "public"."User";
CREATE UNIQUE INDEX ON "User" ("id");
ALTER TABLE "User" ADD COLUMN "tmp" TEXT;
DROP INDEX "User_id_idx";
CREATE INDEX ON "User" ("tmp");`,
    ]);
    expect(catalog.getIndex({ schema: null, name: "User_tmp_idx" })).toMatchObject({ schema: "pg_temp" });
    catalog.startMigration(2);
    expect(catalog.getTable({ schema: null, name: "User" })).toMatchObject({ schema: "public", createdIn: 0 });
    expect(catalog.getIndex({ schema: null, name: "User_tmp_idx" })).toBeUndefined();
  });

  it("DROP TYPE ... CASCADE drops the columns of that type", async () => {
    await expectCatalogMatchesPostgres([ROLE, `DROP TYPE "Role" CASCADE;`]);
  });
});
