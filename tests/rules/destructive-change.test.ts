import { describe, expect, it } from "vitest";
import { onMysql } from "./mysql-fixtures.js";
import { SQLITE, usersPostsSessions } from "./sqlite-fixtures.js";
import { RuleTester, runRuleCase } from "../../src/testing/rule-tester.js";
import rule from "../../rules/destructive-change.js";
import { TASKS, SWAP, COPY_THEN_DROP } from "./data-moves.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const ROLE = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
ALTER TABLE "User" ADD COLUMN "role" "Role" NOT NULL DEFAULT 'USER';`;

new RuleTester().run(rule, {
  valid: [
    { name: "a column whose data was copied into another column first (breaking-rename reports the move)", history: [USERS], sql: COPY_THEN_DROP },
    { name: "a column swap keeps the data under the same name (column-type-change reports it)", history: [USERS, TASKS], sql: SWAP },
    { name: "dropping a table created in the same migration", sql: `${USERS}\nDROP TABLE "User";` },
    { name: "dropping a column added in the same migration", history: [USERS], sql: `ALTER TABLE "User" ADD COLUMN "tmp" TEXT;\nALTER TABLE "User" DROP COLUMN "tmp";` },
    { name: "renaming a column keeps its data", history: [USERS], sql: `ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";` },
    { name: "DELETE with WHERE", history: [USERS], sql: `DELETE FROM "User" WHERE "email" LIKE '%@test.invalid';` },
    { name: "Prisma enum recreation that only adds values", history: [USERS, ROLE], sql: `BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN', 'GUEST', 'OWNER');
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
COMMIT;` },
    {
      name: "a drop preceded by a copy, with allowPreserved",
      history: [USERS],
      options: { allowPreserved: true },
      sql: `CREATE TABLE "User_backup" AS SELECT * FROM "User";\nDROP TABLE "User";`,
    },
    {
      name: "a dropped column copied with INSERT ... SELECT, with allowPreserved",
      history: [USERS, `CREATE TABLE "UserName" ("userId" INTEGER, "name" TEXT);`],
      options: { allowPreserved: true },
      sql: `INSERT INTO "UserName" ("userId", "name") SELECT "id", "name" FROM "User";\nALTER TABLE "User" DROP COLUMN "name";`,
    },
    {
      name: "DROP TYPE of an enum whose last column an earlier migration dropped",
      history: [USERS, ROLE, `-- AlterTable\nALTER TABLE "User" DROP COLUMN "role";`],
      sql: `-- DropEnum\nDROP TYPE "Role";`,
    },
    {
      name: "DROP TYPE of an enum whose table was dropped in an earlier migration (Prisma 6/7)",
      history: [USERS, ROLE, `-- DropTable\nDROP TABLE "public"."User";`],
      sql: `-- DropEnum\nDROP TYPE "public"."Role";`,
    },
    {
      name: "DROP TYPE of an enum the recreation renamed away, after its column moved to the new type",
      history: [USERS, ROLE],
      sql: `ALTER TYPE "Role" RENAME TO "Role_v1";\nCREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');\nALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT, ALTER COLUMN "role" TYPE "Role" USING ("role"::text::"Role");\nDROP TYPE "Role_v1";`,
    },
    { name: "a defensive DROP TABLE IF EXISTS of a table the history never created", sql: `DROP TABLE IF EXISTS "events"."run_executions";\nCREATE TABLE "events"."run_executions" ("id" TEXT);` },
  ],
  invalid: [
    {
      name: "a column copied elsewhere and then re-added empty under its own name still loses its values there",
      history: [USERS],
      sql: `${COPY_THEN_DROP}\nALTER TABLE "User" ADD COLUMN "name" TEXT;`,
      errors: [{ messageId: "dropColumn", line: 7 }],
    },
    ...["", '"public".'].map((q) => ({
      name: `Prisma ${q ? "6/7" : "5"}: the enum's last column dropped earlier in the file, then -- DropEnum: the column is the loss, the type holds nothing`,
      history: [USERS, ROLE],
      sql: `-- AlterTable\nALTER TABLE ${q}"User" DROP COLUMN "role";\n\n-- DropEnum\nDROP TYPE ${q}"Role";`,
      errors: [{ messageId: "dropColumn", line: 2 }],
    })),
    {
      name: "DROP TYPE of an enum a column still uses (Postgres refuses it without CASCADE)",
      history: [USERS, ROLE],
      sql: `-- DropEnum\nDROP TYPE "public"."Role";`,
      errors: [{ messageId: "dropEnum", line: 2, message: 'Drops enum type "public"."Role" (still the type of "User"."role")' }],
    },
    {
      name: "only the column the UPDATE reads is kept: a string literal that spells a column name copies nothing",
      history: [`CREATE TABLE "IntegrationResponse" ("id" TEXT NOT NULL, "headers" JSONB NOT NULL, "statusCode" INTEGER NOT NULL);`],
      sql: `ALTER TABLE "IntegrationResponse" ADD COLUMN "context" JSONB;
UPDATE "IntegrationResponse" SET context = jsonb_build_object('headers', headers, 'statusCode', '200');
ALTER TABLE "IntegrationResponse" DROP COLUMN "headers", DROP COLUMN "statusCode";`,
      errors: [{ messageId: "dropColumn", line: 3, message: 'Drops column "statusCode"' }],
    },
    {
      name: "Prisma's DROP COLUMN under its Warnings block (a renamed field)",
      history: [USERS],
      sql: `/*
  Warnings:

  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "User" DROP COLUMN "name",
ADD COLUMN     "fullName" TEXT;`,
      errors: [{ messageId: "dropColumn", line: 8, column: 20, message: 'Drops column "name" of "User" (text, added in 20240101000000_m0)' }],
    },
    {
      name: "Prisma's DROP TABLE for a removed model",
      history: [USERS],
      sql: `-- DropTable\nDROP TABLE "User";`,
      errors: [{ messageId: "dropTable", line: 2, column: 1 }],
    },
    {
      name: "a column the history added in an earlier migration is known by type",
      history: [USERS, `ALTER TABLE "User" ADD COLUMN "age" INTEGER;`, `ALTER TABLE "User" ADD COLUMN "x" TEXT;`],
      sql: `ALTER TABLE "User" DROP COLUMN "age";`,
      errors: [{ messageId: "dropColumn", message: "(int4, added in 20240101000001_m1)" }],
    },
    {
      name: "Prisma's enum recreation that removes a value reports the value by name",
      history: [USERS, ROLE],
      sql: `/*
  Warnings:

  - The values [GUEST] on the enum \`Role\` will be removed. If these variants are still used in the database, this will fail.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`,
      errors: [{ messageId: "removeEnumValues", line: 14, message: "Removes value 'GUEST' from enum \"Role\"" }],
    },
    {
      name: "hand-written drops of every kind",
      history: [USERS, ROLE, `CREATE TABLE "Log" ("id" INT);`],
      sql: `TRUNCATE "Log" CASCADE;
DELETE FROM "User";
DROP SCHEMA "archive" CASCADE;
ALTER TABLE "User" DROP COLUMN "role";
DROP TYPE "Role" CASCADE;`,
      errors: [
        { messageId: "truncate", line: 1, message: "with CASCADE" },
        { messageId: "deleteAll", line: 2 },
        { messageId: "dropSchema", line: 3 },
        { messageId: "dropColumn", line: 4 },
        { messageId: "dropEnum", line: 5, message: 'Drops enum type "Role" and, with CASCADE, everything that depends on it' },
      ],
    },
    {
      name: "schema-qualified names (multiSchema)",
      history: [`CREATE TABLE "auth"."Session" ("id" TEXT NOT NULL, "token" TEXT);`],
      sql: `ALTER TABLE "auth"."Session" DROP COLUMN "token";`,
      errors: [{ messageId: "dropColumn", message: 'of "auth"."Session"' }],
    },
    {
      name: "a drop preceded by a copy is still reported without allowPreserved, and says where the rows went",
      history: [USERS],
      sql: `CREATE TABLE "User_backup" AS SELECT * FROM "User";\nDROP TABLE "User";`,
      errors: [{ messageId: "dropTable", line: 2, message: 'Drops table "User" and every row in it. Its rows were copied into "User_backup" first (line 1), and app instances' }],
    },
    {
      name: "a column moved to another table with INSERT ... SELECT (umami's share_id): kept there, not lost, but still dropped",
      history: [USERS, `CREATE TABLE "Profile" ("userId" INTEGER NOT NULL, "displayName" TEXT);`],
      sql: `-- MigrateData
INSERT INTO "Profile" ("userId", "displayName")
SELECT "id", "name"
FROM "User"
WHERE "name" IS NOT NULL;

-- AlterTable
ALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "dropColumn", line: 8, message: 'Drops column "name" of "User" (text, added in 20240101000000_m0): its data was copied into "Profile"."displayName" first (line 2), and app instances' }],
    },
    {
      name: "a table the history does not know is assumed to hold data",
      sql: `DROP TABLE "legacy_orders";`,
      errors: [{ messageId: "dropTable" }],
    },
    {
      name: "DROP TABLE IF EXISTS of a table the history knows",
      history: [USERS],
      sql: `DROP TABLE IF EXISTS "User";`,
      errors: [{ messageId: "dropTable" }],
    },
  ],
});

describe("destructive-change on MySQL quotes names as MySQL does", () => {
  it("a dropped column and its table both in backticks", async () => {
    const [finding] = await runRuleCase("destructive-change", onMysql({ sql: "-- AlterTable\nALTER TABLE `User` DROP COLUMN `name`;" }));
    expect(finding?.message).toMatch(/^Drops column `name` of `User` \(varchar\(191\), added in /);
  });
});

describe("destructive-change help on SQLite and MySQL", () => {
  it("names the database's own backup tool, not pg_dump", async () => {
    const [mysqlDrop] = await runRuleCase("destructive-change", onMysql({ sql: "-- DropTable\nDROP TABLE `Post`;" }));
    expect(mysqlDrop?.help).toContain("(CREATE TABLE ... AS SELECT, or mysqldump <database> <table>)");
    const [sqliteDrop] = await runRuleCase("destructive-change", { ...SQLITE, history: [usersPostsSessions], sql: 'DROP TABLE "Session";' });
    expect(sqliteDrop?.help).toContain('(CREATE TABLE ... AS SELECT, or sqlite3 <file> ".dump <table>")');
  });
});
