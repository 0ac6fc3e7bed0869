import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/non-atomic-migration.js";
import { onMysql } from "./mysql-fixtures.js";
import { rebuildUser, SQLITE, tagsAndRebuild, usersPostsSessions } from "./sqlite-fixtures.js";

// Prisma 5, 6 and 7 write the same enum block when values are removed (prisma-engines postgres_renderer.rs,
// render_postgres_alter_enum): BEGIN; CREATE TYPE "X_new"; DROP DEFAULT; ALTER COLUMN TYPE ... USING (...::text::...);
// RENAME X -> X_old; RENAME X_new -> X; DROP TYPE X_old; SET DEFAULT; COMMIT;
const INIT = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "roles" "Role"[],
    "teamId" INTEGER,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");`;

const ENUM_BLOCK = `-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TABLE "User" ALTER COLUMN "roles" TYPE "Role_new"[] USING ("roles"::text::"Role_new"[]);
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`;

const WARNINGS = `/*
  Warnings:

  - The values [GUEST] on the enum \`Role\` will be removed. If these variants are still used in the database, this will fail.

*/`;

const V74 = "7.4.0";

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's enum block alone", history: [INIT], sql: `${WARNINGS}\n${ENUM_BLOCK}\n` },
    {
      name: "whole-file runner: statements before BEGIN are folded into the block by Postgres, so a failing cast rolls them back too",
      history: [INIT],
      sql: `${WARNINGS}\n-- CreateEnum\nCREATE TYPE "Plan" AS ENUM ('FREE', 'PRO');\n\n${ENUM_BLOCK}\n`,
    },
    {
      name: "whole-file runner: after the COMMIT only a new table and its foreign keys, which cannot fail",
      history: [INIT],
      sql: `${ENUM_BLOCK}\n\n-- CreateTable\nCREATE TABLE "Invite" (\n    "id" SERIAL NOT NULL,\n    "userId" INTEGER NOT NULL,\n    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")\n);\n\n-- AddForeignKey\nALTER TABLE "Invite" ADD CONSTRAINT "Invite_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n`,
    },
    {
      name: "whole-file runner: after the COMMIT a drop and columns with defaults, which cannot fail",
      history: [INIT],
      sql: `${ENUM_BLOCK}\n\n-- DropIndex\nDROP INDEX "User_email_key";\n\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN     "retryCount" INTEGER NOT NULL DEFAULT 0;\n`,
    },
    { name: "whole-file runner, no COMMIT: one implicit transaction", history: [INIT], sql: `ALTER TABLE "User" DROP COLUMN "name";\nALTER TABLE "User" ALTER COLUMN "teamId" SET NOT NULL;` },
    {
      name: "Prisma 7.4+: a new nullable column and its unique index (every row NULL: nothing can collide)",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- AlterTable\nALTER TABLE "Team" ADD COLUMN     "domain" TEXT;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Team_domain_key" ON "Team"("domain");\n`,
    },
    {
      name: "Prisma 7.4+: a new nullable column and its foreign key (NULL passes)",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- AlterTable\nALTER TABLE "Team" ADD COLUMN     "ownerId" INTEGER;\n\n-- AddForeignKey\nALTER TABLE "Team" ADD CONSTRAINT "Team_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n`,
    },
    {
      name: "Prisma 7.4+: the whole file in BEGIN ... COMMIT",
      history: [INIT],
      prismaVersion: V74,
      sql: `BEGIN;\nDROP INDEX "User_email_key";\nCREATE UNIQUE INDEX "User_email_name_key" ON "User"("email", "name");\nCOMMIT;`,
    },
    {
      name: "Prisma 7.4+: CONCURRENTLY beside another statement is concurrently-in-transaction's finding",
      history: [INIT],
      prismaVersion: V74,
      sql: `ALTER TABLE "User" ADD COLUMN "bio" TEXT;\nCREATE UNIQUE INDEX CONCURRENTLY "User_name_key" ON "User"("name");`,
    },
    { name: "Prisma 7.4+: one statement", history: [INIT], prismaVersion: V74, sql: `ALTER TABLE "User" ALTER COLUMN "teamId" SET NOT NULL;` },
    {
      name: "Prisma 7.4+: lock_timeout switched off again",
      history: [INIT],
      prismaVersion: V74,
      sql: `SET lock_timeout = 0;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Team" ADD COLUMN "bio" TEXT;`,
    },
    {
      name: "Prisma 7.4+: a relation's onDelete changed: the foreign key is dropped and re-added on the same columns, which the rows passed",
      history: [INIT, `ALTER TABLE "User" ADD CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`],
      prismaVersion: V74,
      sql: `-- DropForeignKey\nALTER TABLE "User" DROP CONSTRAINT "User_teamId_fkey";\n\n-- AddForeignKey\nALTER TABLE "User" ADD CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n`,
    },
    {
      name: "Prisma 7.4+: lock_timeout set, but everything before is guarded by IF EXISTS, so a re-run finishes the file (trigger.dev 20260629120000)",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- Fail fast instead of queueing behind a long transaction for the ACCESS EXCLUSIVE lock.\nSET lock_timeout = '5s';\n\nALTER TABLE "User" DROP CONSTRAINT IF EXISTS "User_teamId_fkey";\nALTER TABLE "Team" DROP CONSTRAINT IF EXISTS "Team_ownerId_fkey";\n`,
    },
    {
      name: "Prisma 7.4+: a hand-written enum recreation that adds a value (every old value converts)",
      history: [INIT],
      prismaVersion: V74,
      sql: `ALTER TYPE "Role" RENAME TO "Role_old";\nCREATE TYPE "Role" AS ENUM ('OWNER', 'USER', 'ADMIN', 'GUEST');\nALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT, ALTER COLUMN "role" TYPE "Role" USING "role"::text::"Role";\nDROP TYPE "Role_old";`,
    },
    {
      name: "Prisma 7.4+: a unique key widened to more columns: the rows were unique on the old ones (evolution-api 20240813003116)",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- DropIndex\nDROP INDEX "User_email_key";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_teamId_key" ON "User"("email", "teamId");\n`,
    },
    {
      name: "Prisma 7.4+: a composite primary key over the old key and a NOT NULL column (langfuse 20240124140443)",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- DropIndex\nDROP INDEX "User_email_key";\n\n-- AlterTable\nALTER TABLE "User" DROP CONSTRAINT "User_pkey",\nADD CONSTRAINT "User_pkey" PRIMARY KEY ("id", "email");\n`,
    },
    {
      name: "Prisma 7.4+: a required column without a default got through only on an empty table, so the unique index after it cannot meet duplicates",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- AlterTable\nALTER TABLE "Team" ADD COLUMN     "ownerId" INTEGER NOT NULL;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");\n`,
    },
    {
      name: "Prisma 7.4+: the enum block keeps its values (the cast cannot fail)",
      history: [INIT],
      prismaVersion: V74,
      sql: `CREATE TYPE "Plan" AS ENUM ('FREE', 'PRO');\nBEGIN;\nCREATE TYPE "Role_new" AS ENUM ('ADMIN', 'USER', 'GUEST');\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");\nALTER TYPE "Role" RENAME TO "Role_old";\nALTER TYPE "Role_new" RENAME TO "Role";\nDROP TYPE "Role_old";\nCOMMIT;`,
    },
  ],
  invalid: [
    {
      name: "whole-file runner: Prisma's enum block, then a required column on an existing table (evolution-api 20240729180347)",
      history: [INIT],
      sql: `${WARNINGS}\n${ENUM_BLOCK}\n\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN     "status" "Role" NOT NULL;\n`,
      errors: [
        {
          messageId: "afterCommit",
          line: 20,
          message: 'This statement adds NOT NULL column "status" to "User" without a default, which fails if "User" has any row, and it runs after the COMMIT on line 17, which ends the transaction Prisma up to 7.3 runs the whole file in: the 8 change(s) before it (from line 9) are already committed',
        },
      ],
    },
    {
      name: "Prisma 7.4+: a new enum before the block is committed on its own; the block's cast can fail on 'GUEST' rows",
      history: [INIT],
      prismaVersion: V74,
      sql: `${WARNINGS}\n-- CreateEnum\nCREATE TYPE "Plan" AS ENUM ('FREE', 'PRO');\n\n${ENUM_BLOCK}\n`,
      errors: [{ messageId: "perStatement", line: 14, message: `moves "User"."role" to the recreated enum "Role_new" without 'GUEST', which fails if a row still holds a removed value, and Prisma 7.4.0 runs every statement` }],
    },
    {
      name: "Prisma 7.4+: a changed @@unique is a DROP INDEX and a CREATE UNIQUE INDEX over existing values",
      history: [INIT],
      prismaVersion: "7.5.1",
      sql: `-- DropIndex\nDROP INDEX "User_email_key";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_name_key" ON "User"("name");\n`,
      errors: [{ messageId: "perStatement", line: 5, message: 'builds the unique index "User_name_key" over "name" of "User", which fails if existing rows hold duplicate values' }],
    },
    {
      name: "Prisma 7.4+: a dropped column, then a field made required",
      history: [INIT],
      prismaVersion: V74,
      sql: `/*\n  Warnings:\n\n  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.\n  - Made the column \`teamId\` on table \`User\` required. This step will fail if there are existing NULL values in that column.\n\n*/\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "name";\n\n-- AlterTable\nALTER TABLE "User" ALTER COLUMN "teamId" SET NOT NULL;\n`,
      errors: [{ messageId: "perStatement", line: 12, message: 'sets NOT NULL on "User"."teamId", which fails if any row holds NULL, and Prisma 7.4.0 runs every statement of this file in its own transaction: the 1 change(s) before it (from line 9, including the drop on line 9, whose data cannot be brought back)' }],
    },
    {
      name: "Prisma 7.4+: a foreign key on an existing column",
      history: [INIT],
      prismaVersion: V74,
      sql: `-- AlterTable\nALTER TABLE "Team" ADD COLUMN "bio" TEXT;\n\n-- AddForeignKey\nALTER TABLE "User" ADD CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n`,
      errors: [{ messageId: "perStatement", line: 5, message: 'validates the foreign key "User_teamId_fkey" on every row of "User", which fails if a row references a missing "Team" row' }],
    },
    {
      name: "Prisma 7.4+: with lock_timeout set, any statement that locks an existing table can time out",
      history: [INIT],
      prismaVersion: V74,
      sql: `SET lock_timeout = '5s';\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "Team" ADD COLUMN "bio" TEXT;`,
      errors: [{ messageId: "perStatement", line: 3, message: `waits for an ACCESS EXCLUSIVE lock on "Team" under lock_timeout = '5s' (line 1), and fails when the wait runs out` }],
    },
    {
      name: "Prisma 7.4+: a type change that can reject values, hand-written after a rename",
      history: [INIT],
      prismaVersion: V74,
      sql: `ALTER TABLE "Team" RENAME COLUMN "slug" TO "code";\nALTER TABLE "Team" ALTER COLUMN "code" TYPE INTEGER USING "code"::integer;`,
      errors: [{ messageId: "perStatement", line: 2, message: 'converts "Team"."code" from text to int4 USING "code"::integer, which fails on values that do not convert' }],
    },
    {
      name: "Prisma 7.4+: text to an enum after the old column was dropped (langfuse 20240512155020)",
      history: [INIT],
      prismaVersion: V74,
      sql: `ALTER TABLE "User" ADD COLUMN "kind_temp" text;\nUPDATE "User" SET "kind_temp" = "role"::text;\nALTER TABLE "User" DROP COLUMN "role";\nALTER TABLE "User" RENAME COLUMN "kind_temp" TO "kind";\nALTER TABLE "User" ALTER COLUMN "kind" TYPE "Role" USING "kind"::"Role";`,
      errors: [{ messageId: "perStatement", line: 5, message: 'converts "User"."kind" from text to Role USING "kind"::"Role", which fails on values that do not convert, and Prisma 7.4.0 runs every statement of this file in its own transaction: the 4 change(s) before it (from line 1, including the drop on line 3, whose data cannot be brought back)' }],
    },
    {
      name: "Prisma 7.4+: a primary key swap written as two statements loses the old key when the new one fails",
      history: [INIT],
      prismaVersion: V74,
      sql: `ALTER TABLE "Team" DROP CONSTRAINT "Team_pkey";\nALTER TABLE "Team" ADD CONSTRAINT "Team_pkey" PRIMARY KEY ("slug");`,
      errors: [{ messageId: "perStatement", line: 2, message: 'builds the primary key "Team_pkey" over "slug" of "Team", which fails if existing rows hold duplicate values' }],
    },
    {
      name: "whole-file runner: a stray COMMIT splits a hand-written backfill from the constraint that checks it",
      history: [INIT],
      sql: `UPDATE "User" SET "name" = split_part("email", '@', 1) WHERE "name" IS NULL;\nCOMMIT;\nALTER TABLE "User" ADD CONSTRAINT "User_name_check" CHECK (length("name") > 0);`,
      errors: [{ messageId: "afterCommit", line: 3, message: 'validates the CHECK constraint "User_name_check" on every row of "User", which fails if a row violates it, and it runs after the COMMIT on line 2' }],
    },
  ],
});

// MySQL commits every DDL statement on its own: BEGIN ... COMMIT is no fix there
new RuleTester().run(rule, {
  valid: [
    onMysql({ name: "MySQL: one statement that can fail, alone in its file", sql: "-- CreateIndex\nCREATE UNIQUE INDEX `User_name_key` ON `User`(`name`);" }),
    onMysql({
      name: "MySQL: a required column added after other statements does not fail on the rows (MySQL fills them: mysql-zero-fill's)",
      sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\n\n-- AlterTable\nALTER TABLE `Post` ADD COLUMN `slug` VARCHAR(191) NOT NULL;",
    }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: Prisma's ADD COLUMN then CREATE UNIQUE INDEX: the column stays added when the index fails",
      sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\n\n-- CreateIndex\nCREATE UNIQUE INDEX `User_name_key` ON `User`(`name`);",
      errors: [{ messageId: "implicitCommit", line: 5, message: "the database commits every DDL statement on its own (MySQL's implicit commit" }],
    }),
  ],
});

new RuleTester().run(rule, {
  valid: [
    onMysql({
      name: "MySQL: a UNIQUE INDEX inside a CREATE TABLE cannot fail on duplicates, even after other statements (evolution-api's init)",
      sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\n\n-- CreateTable\nCREATE TABLE `Session` (\n    `id` VARCHAR(191) NOT NULL,\n    `sessionId` VARCHAR(191) NOT NULL,\n\n    UNIQUE INDEX `Session_sessionId_key`(`sessionId`),\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
    }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: the same with a unique index on an existing column of an existing table after it",
      sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\n\n-- CreateIndex\nCREATE UNIQUE INDEX `User_name_key` ON `User`(`name`);",
      errors: [{ messageId: "implicitCommit", line: 5 }],
    }),
  ],
});

// SQLite: `prisma migrate deploy` runs the file statement by statement in every Prisma version (rusqlite's execute_batch)
const onSqlite = <T extends object>(testCase: T) => ({ ...SQLITE, history: [usersPostsSessions], ...testCase });
const ADD_THEN_UNIQUE = '-- AlterTable\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_name_key" ON "User"("name");';
new RuleTester().run(rule, {
  valid: [
    onSqlite({ name: "SQLite: statements that cannot fail on the data, many of them (no cry wolf on every multi-statement file)", sql: `${tagsAndRebuild.history}\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "nick" TEXT;\n\n-- CreateIndex\nCREATE INDEX "Post_title_idx" ON "Post"("title");\n${rebuildUser}` }),
    onSqlite({ name: "SQLite with runner d1: the file is one transaction", config: { runner: "d1" }, sql: ADD_THEN_UNIQUE }),
    { ...SQLITE, name: "SQLite: a rebuild's copy that cannot fill a column is add-required-column's (which says what stays behind)", history: [tagsAndRebuild.history], sql: tagsAndRebuild.sql },
  ],
  invalid: [
    onSqlite({
      name: "SQLite: Prisma's unique index after a committed ALTER TABLE",
      sql: ADD_THEN_UNIQUE,
      errors: [{
        messageId: "runnerStatements",
        line: 5,
        message: 'This statement builds the unique index "User_name_key" over "name" of "User", which fails if existing rows hold duplicate values, and `prisma migrate deploy` runs a SQLite file statement by statement in every Prisma version, each statement committing on its own: the 1 change(s) before it (from line 2) are already committed when it runs.',
      }],
    }),
  ],
});
