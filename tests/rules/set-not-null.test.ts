import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/set-not-null.js";
import { onMysql } from "./mysql-fixtures.js";
import { rebuildUser, SQLITE, usersPostsSessions } from "./sqlite-fixtures.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const CHECK_ADDED = `ALTER TABLE "User" ADD CONSTRAINT "User_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;`;
const CHECK_VALIDATED = `ALTER TABLE "User" VALIDATE CONSTRAINT "User_name_not_null";`;
/** The suggestion (Postgres 12+): the CHECK NOT VALID here; VALIDATE, SET NOT NULL and DROP of it in a folder that runs next (`m<n>_1_...`). */
const checkDance = (migration: string, table: string, column: string, output: string) => ({
  messageId: "checkDance",
  output,
  files: [
    {
      filePath: `${migration}_1_set_${column.toLowerCase()}_not_null/migration.sql`,
      text: `-- ValidateConstraint\nALTER TABLE "${table}" VALIDATE CONSTRAINT "${table}_${column}_not_null";\n\n-- AlterTable\nALTER TABLE "${table}" ALTER COLUMN "${column}" SET NOT NULL;\n\n-- DropCheck\nALTER TABLE "${table}" DROP CONSTRAINT "${table}_${column}_not_null";\n`,
    },
  ],
});
const addCheck = (table: string, column: string) => `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_${column}_not_null" CHECK ("${column}" IS NOT NULL) NOT VALID;`;

new RuleTester().run(rule, {
  valid: [
    {
      name: "a temporary table of the same name made in an earlier migration does not replace the real one (email is NOT NULL already)",
      history: [USERS, `CREATE TEMP TABLE "User" AS SELECT "id" FROM "User";`],
      sql: `ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;`,
    },
    {
      name: "Prisma 6/7: a table TRUNCATEd earlier in the file has nothing to scan, and TRUNCATE holds the lock already",
      history: [USERS],
      sql: `TRUNCATE TABLE "public"."User";\n\n-- AlterTable\nALTER TABLE "public"."User" ALTER COLUMN "name" SET NOT NULL;`,
    },
    { name: "a table created in the same migration", sql: `${USERS}\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;` },
    { name: "already NOT NULL: a no-op", history: [USERS], sql: `ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;` },
    {
      name: "the safe path: a CHECK added NOT VALID and validated in earlier migrations (Postgres 12+)",
      history: [USERS, CHECK_ADDED, CHECK_VALIDATED],
      sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;\nALTER TABLE "User" DROP CONSTRAINT "User_name_not_null";`,
    },
    {
      name: "a validated check added in the same migration, hand-named",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD CONSTRAINT "name_present" CHECK ("name" IS NOT NULL);\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
    },
  ],
  invalid: [
    {
      name: "Prisma 6/7: add nullable, fill with a constant, SET NOT NULL (the help gives the one-statement ADD COLUMN ... NOT NULL DEFAULT)",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "public"."User" ADD COLUMN     "credits" INTEGER;\nUPDATE "public"."User" SET "credits" = 0;\n-- AlterTable\nALTER TABLE "public"."User" ALTER COLUMN "credits" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull", line: 5, message: 'SET NOT NULL on "public"."User"."credits" scans every row of "public"."User"' }],
    },
    {
      name: "after DELETE without WHERE: cannot fail, but the scan still reads the dead rows under ACCESS EXCLUSIVE",
      history: [USERS],
      sql: `DELETE FROM "User";\n\n-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "afterDelete", line: 4, message: "The DELETE on line 1 emptied the table, so the scan cannot fail" }],
    },
    {
      name: "TRUNCATE in an earlier migration: the table has filled up again",
      history: [USERS, 'TRUNCATE "User";'],
      sql: `ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull", line: 1, suggestions: [checkDance("20240101000002_m2", "User", "name", addCheck("User", "name"))] }],
    },
    {
      name: "Prisma's SET NOT NULL under its Warnings block",
      history: [USERS],
      sql: `/*
  Warnings:

  - Made the column \`name\` on table \`User\` required, but there are existing NULL values.

*/
-- AlterTable
ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [
        {
          messageId: "setNotNull",
          line: 8,
          column: 20,
          message: 'SET NOT NULL on "User"."name" scans every row of "User" under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the scan finishes, and the migration fails if any row holds NULL',
          suggestions: [checkDance("20240101000001_m1", "User", "name", `/*\n  Warnings:\n\n  - Made the column \`name\` on table \`User\` required, but there are existing NULL values.\n\n*/\n-- AlterTable\n${addCheck("User", "name")}`)],
        },
      ],
    },
    {
      name: "the check is still NOT VALID",
      history: [USERS, CHECK_ADDED],
      sql: `ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull" }],
    },
    {
      name: "a validated check on another column does not count",
      history: [USERS, `ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" CHECK ("email" IS NOT NULL);`],
      sql: `ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull", suggestions: [checkDance("20240101000002_m2", "User", "name", addCheck("User", "name"))] }],
    },
    {
      name: "a validated check of another kind does not count",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD CONSTRAINT "User_name_len" CHECK (length("name") > 0);\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull", line: 2, suggestions: [checkDance("20240101000001_m1", "User", "name", `ALTER TABLE "User" ADD CONSTRAINT "User_name_len" CHECK (length("name") > 0);\n${addCheck("User", "name")}`)] }],
    },
    {
      name: "before Postgres 12 the validated check does not help",
      history: [USERS, CHECK_ADDED, CHECK_VALIDATED],
      config: { postgresVersion: 11 },
      sql: `ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull" }],
    },
    {
      name: "several columns in one Prisma statement",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL,\nALTER COLUMN "id" DROP DEFAULT;\nALTER TABLE "Team" ALTER COLUMN "slug" SET NOT NULL;`,
      errors: [
        { messageId: "setNotNull", line: 2, suggestions: null },
        { messageId: "setNotNull", line: 4, message: '"Team"."slug"', suggestions: [checkDance("20240101000001_m1", "Team", "slug", `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL,\nALTER COLUMN "id" DROP DEFAULT;\n${addCheck("Team", "slug")}`)] },
      ],
    },
  ],
});

// MySQL has no ACCESS EXCLUSIVE scan or NOT VALID check: MODIFY ... NOT NULL is mysql-zero-fill's
new RuleTester().run(rule, {
  valid: [onMysql({ name: "MySQL: Prisma's MODIFY ... NOT NULL", sql: "-- AlterTable\nALTER TABLE `User` MODIFY `name` VARCHAR(191) NOT NULL;" })],
  invalid: [
    {
      name: "the same column on PostgreSQL is still reported (the rule is skipped on MySQL, not broken)",
      history: [`CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "name" VARCHAR(191));`],
      sql: `ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;`,
      errors: [{ messageId: "setNotNull", suggestions: [checkDance("20240101000001_m1", "User", "name", addCheck("User", "name"))] }],
    },
  ],
});

// SQLite: Prisma makes a column required by a rebuild. Without a default its copy takes the values as they are and fails
// on a NULL (measured on sql.js: "NOT NULL constraint failed: new2.n"); with one it copies coalesce("name", '')
const rebuildNameRequired = rebuildUser.replace(`"name" TEXT NOT NULL DEFAULT ''`, '"name" TEXT NOT NULL').replace(`coalesce("name", '') AS "name"`, '"name"');
const copyLine = rebuildNameRequired.split("\n").findIndex((l) => l.startsWith('INSERT INTO "new_User"')) + 1;
new RuleTester().run(rule, {
  valid: [
    { ...SQLITE, name: "SQLite: Prisma's rebuild with a default copies coalesce(\"name\", '')", history: [usersPostsSessions], sql: rebuildUser },
    { ...SQLITE, name: "SQLite: a rebuild of a column that was NOT NULL already", history: [usersPostsSessions.replace('"name" TEXT\n', '"name" TEXT NOT NULL\n')], sql: rebuildNameRequired },
  ],
  invalid: [
    {
      ...SQLITE,
      name: "SQLite: Prisma's rebuild making a column required without a default (\"Made the column `name` on table `User` required\")",
      history: [usersPostsSessions],
      sql: `/*\n  Warnings:\n\n  - Made the column \`name\` on table \`User\` required. This step will fail if there are existing NULL values in that column.\n\n*/\n${rebuildNameRequired}`,
      errors: [{
        messageId: "copy",
        line: copyLine + 6,
        message: 'Makes "User"."name" required in a table rebuild whose copy (this INSERT) copies the values as they are: the INSERT fails on the first row that holds NULL (NOT NULL constraint failed: new_User.name); the statements before it have already run one by one, so "new_User" stays behind',
      }],
    },
  ],
});
