import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/unbatched-backfill.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;

new RuleTester().run(rule, {
  valid: [
    { name: "an UPDATE of a table emptied earlier in the file changes no row", history: [USERS], sql: `DELETE FROM "User";\nUPDATE "User" SET "name" = 'x';` },
    { name: "INSERT ... VALUES (seed rows)", history: [USERS], sql: `INSERT INTO "User" ("email") VALUES ('admin@example.com');` },
    { name: "DELETE without WHERE is destructive-change's", history: [USERS], sql: `DELETE FROM "User";` },
    { name: "a backfill of a table created in the same migration", sql: `${USERS}\nUPDATE "User" SET "name" = "email";` },
    { name: "a fix of a few rows pinned by key", history: [USERS], sql: `UPDATE "User" SET "name" = 'Admin' WHERE "id" = 1;\nDELETE FROM "User" WHERE "id" IN (2, 3) AND "email" LIKE '%@test.invalid';` },
    { name: "a fix pinned by a cast key (langfuse's models updates)", history: [`CREATE TABLE models ("id" TEXT NOT NULL, "model_name" TEXT, CONSTRAINT "models_pkey" PRIMARY KEY ("id"));`], sql: `UPDATE models SET model_name = 'claude-3.5-sonnet-latest' WHERE id = 'cm2ks2vzn000308jjh4ze1w7q'::text;` },
    { name: "INSERT ... SELECT into a new table (a copy)", history: [USERS], sql: `CREATE TABLE "UserArchive" ("id" INTEGER, "email" TEXT);\nINSERT INTO "UserArchive" SELECT "id", "email" FROM "User";` },
  ],
  invalid: [
    {
      name: "an UPDATE after the emptied table was filled again by INSERT ... SELECT",
      history: [USERS, `CREATE TABLE "Import" ("email" TEXT);`],
      sql: `TRUNCATE "User";\nINSERT INTO "User" ("email") SELECT "email" FROM "Import";\nUPDATE "User" SET "name" = 'x';`,
      errors: [{ messageId: "backfill", line: 2 }, { messageId: "backfill", line: 3 }],
    },
    {
      name: "a backfill after Prisma's ADD COLUMN, in the same file",
      history: [USERS],
      sql: `-- AlterTable
ALTER TABLE "User" ADD COLUMN     "displayName" TEXT;

-- Backfill
UPDATE "User" SET "displayName" = COALESCE("name", "email");`,
      errors: [
        {
          messageId: "backfill",
          line: 5,
          column: 1,
          message: `UPDATE on "User" runs inside the migration as one statement: every row it changes stays locked until the migration commits`,
        },
      ],
    },
    {
      name: "the DDL's ACCESS EXCLUSIVE lock is named when the file runs as one transaction",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "displayName" TEXT;\nUPDATE "User" SET "displayName" = "email" WHERE "displayName" IS NULL;`,
      errors: [{ messageId: "backfill", line: 2, message: `the same transaction also holds the locks this file's DDL took on "User"` }],
    },
    {
      name: "Prisma 7.4+: no shared transaction with the DDL",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `ALTER TABLE "User" ADD COLUMN "displayName" TEXT;\nUPDATE "User" SET "displayName" = "email";`,
      errors: [{ messageId: "backfill", line: 2, message: /cannot be resumed if it fails\.$/ }],
    },
    {
      name: "DELETE with WHERE",
      history: [USERS],
      sql: `DELETE FROM "User" WHERE "email" LIKE '%@test.invalid';`,
      errors: [{ messageId: "backfill", message: 'DELETE on "User"' }],
    },
    {
      name: "INSERT ... SELECT into an existing table",
      history: [USERS, `CREATE TABLE "Profile" ("userId" INTEGER NOT NULL, "bio" TEXT);`],
      sql: `INSERT INTO "Profile" ("userId") SELECT "id" FROM "User";`,
      errors: [{ messageId: "backfill", message: 'INSERT ... SELECT on "Profile"' }],
    },
  ],
});
