import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/prisma-warning.js";
import { onMysql } from "./mysql-fixtures.js";
import { SQLITE, tagsAndRebuild } from "./sqlite-fixtures.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "legacyId" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Coupon" ("id" SERIAL NOT NULL, CONSTRAINT "Coupon_pkey" PRIMARY KEY ("id"));
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
ALTER TABLE "User" ADD COLUMN "role" "Role" NOT NULL DEFAULT 'USER';`;

const warnings = (...lines: string[]) => `/*\n  Warnings:\n\n${lines.map((l) => `  - ${l}`).join("\n")}\n\n*/`;
const DROP_NAME = "You are about to drop the column `name` on the `User` table. All the data in the column will be lost.";
const UNIQUE_EMAIL = "A unique constraint covering the columns `[email]` on the table `User` will be added. If there are existing duplicate values, this will fail.";
const PK = "The primary key for the `User` table will be changed. If it partially fails, the table could be left without primary key constraint.";
const PK_SQL = `-- AlterTable
ALTER TABLE "User" DROP CONSTRAINT "User_pkey",
ADD CONSTRAINT "User_pkey" PRIMARY KEY ("email");`;

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's drop-column warning with its statement (destructive-change reports it)", history: [USERS], sql: `${warnings(DROP_NAME)}\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "name";` },
    {
      name: "every covered kind with its statement",
      history: [USERS],
      sql: `${warnings(
        "You are about to drop the `Coupon` table. If the table is not empty, all the data it contains will be lost.",
        "Added the required column `age` to the `User` table without a default value. This is not possible if the table is not empty.",
        UNIQUE_EMAIL,
        "Made the column `name` on table `User` required. This step will fail if there are existing NULL values in that column.",
        "You are about to alter the column `legacyId` on the `User` table. The data in that column could be lost. The data in that column will be cast from `Text` to `Integer`.",
      )}
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "age" INTEGER NOT NULL,
ALTER COLUMN "name" SET NOT NULL,
ALTER COLUMN "legacyId" SET DATA TYPE INTEGER USING "legacyId"::integer;

-- DropTable
DROP TABLE "Coupon";

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");`,
    },
    {
      name: "Prisma's enum value removal",
      history: [USERS],
      sql: `${warnings("The values [GUEST] on the enum `Role` will be removed. If these variants are still used in the database, this will fail.")}
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
    },
    { name: "a unique constraint added with ADD CONSTRAINT instead of the index", history: [USERS], sql: `${warnings(UNIQUE_EMAIL)}\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");` },
    { name: "a drop without a Warnings block is destructive-change's alone", history: [USERS], sql: `ALTER TABLE "User" DROP COLUMN "name";` },
    { name: "a primary key change when the whole file is one transaction (Prisma up to 7.3)", history: [USERS], sql: `${warnings(PK)}\n${PK_SQL}` },
    { name: "a primary key change inside BEGIN ... COMMIT with Prisma 7.4", history: [USERS], prismaVersion: "7.4.0", sql: `${warnings(PK)}\nBEGIN;\n${PK_SQL}\nCOMMIT;` },
    { name: "hand-written lines Prisma never writes are left alone", history: [USERS], sql: `${warnings("THIS IS BREAKING")}\nALTER TABLE "User" ADD COLUMN "age" INTEGER;` },
    {
      name: "Prisma's DROP + ADD for a renamed field, edited into the RENAME COLUMN it stood for (breaking-rename reports it)",
      history: [USERS],
      sql: `${warnings(DROP_NAME, "Added the required column `fullName` to the `User` table without a default value. This is not possible if the table is not empty.")}\n-- AlterTable\nALTER TABLE "User" RENAME COLUMN "name" TO "fullName";`,
    },
    {
      name: "a dropped table edited into ALTER TABLE ... RENAME TO",
      history: [USERS],
      sql: `${warnings("You are about to drop the `Coupon` table. If the table is not empty, all the data it contains will be lost.")}\nALTER TABLE "Coupon" RENAME TO "Voucher";`,
    },
    {
      name: "a column Prisma would drop and recreate for a renamed enum, edited into ALTER TYPE ... RENAME TO",
      history: [USERS],
      sql: `${warnings("Changed the type of `role` on the `User` table. No cast exists, the column would be dropped and recreated, which cannot be done if there is data, since the column is required.")}\n-- Rename enum\nALTER TYPE "Role" RENAME TO "UserRole";`,
    },
    {
      name: "a hand-added drop explained by a comment right above it",
      history: [USERS],
      sql: `${warnings(DROP_NAME)}\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "name";\n\n-- legacyId was only read by the v1 importer, removed in 2.0\nALTER TABLE "User" DROP COLUMN "legacyId";`,
    },
    {
      name: "a block the author rewrote in their own words is not Prisma's list any more",
      history: [USERS],
      sql: `${warnings("THIS IS BREAKING")}\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "legacyId";`,
    },
    {
      name: "the warned drop runs inside a DO block",
      history: [USERS],
      sql: `${warnings(DROP_NAME)}\nDO $$\nBEGIN\n  ALTER TABLE "User" DROP COLUMN IF EXISTS "name";\nEND $$;`,
    },
    {
      name: "the unique index schema.prisma declares is left to a migration of its own (CONCURRENTLY, after this one)",
      history: [USERS],
      schema: `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n`,
      sql: `${warnings(UNIQUE_EMAIL)}\n-- DropIndex\nDROP INDEX IF EXISTS "User_email_idx";`,
    },
    {
      name: "the unique index was built CONCURRENTLY in a migration of its own just before",
      history: [USERS, `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "User_email_key" ON "User"("email");`],
      sql: `${warnings(UNIQUE_EMAIL)}\n-- DropIndex\nDROP INDEX IF EXISTS "User_email_idx";`,
    },
  ],
  invalid: [
    {
      name: "a warning whose statement was edited away",
      history: [USERS],
      sql: `${warnings(UNIQUE_EMAIL)}\n-- DropIndex\nDROP INDEX IF EXISTS "User_email_idx";`,
      errors: [{ messageId: "stale", line: 4, column: 3, message: "Prisma warned \"A unique constraint covering the columns `[email]` on the table `User` will be added." }],
    },
    {
      name: "a drop added by hand under Prisma's block",
      history: [USERS],
      sql: `${warnings(DROP_NAME)}\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "name",\nDROP COLUMN "legacyId";`,
      errors: [{ messageId: "unmentioned", line: 9, column: 1, message: 'Dropping column "legacyId" of "User" is not among the warnings' }],
    },
    {
      name: "a table dropped by hand under the block",
      history: [USERS],
      sql: `${warnings(DROP_NAME)}\nALTER TABLE "User" DROP COLUMN "name";\nDROP TABLE "Coupon";`,
      errors: [{ messageId: "unmentioned", line: 8, message: 'Dropping table "Coupon"' }],
    },
    {
      name: "a primary key change run statement by statement (Prisma 7.4+)",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `${warnings(PK)}\n${PK_SQL}`,
      errors: [{ messageId: "primaryKey", line: 8, column: 20, message: "left without a primary key" }],
    },
    {
      name: "one stale and one matching warning",
      history: [USERS],
      sql: `${warnings(DROP_NAME, "You are about to drop the column `legacyId` on the `User` table. All the data in the column will be lost.")}\nALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "stale", line: 5, message: "`legacyId`" }],
    },
  ],
});

new RuleTester().run(rule, {
  valid: [
    onMysql({
      name: "MySQL: Prisma's enum warning names <table>_<column>, and the MODIFY of that column's ENUM does it",
      sql: "/*\n  Warnings:\n\n  - The values [ADMIN] on the enum `User_role` will be removed. If these variants are still used in the database, this will fail.\n\n*/\n-- AlterTable\nALTER TABLE `User` MODIFY `role` ENUM('USER', 'OWNER') NOT NULL DEFAULT 'USER';",
    }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: the enum warning with the MODIFY edited away",
      sql: "/*\n  Warnings:\n\n  - The values [ADMIN] on the enum `User_role` will be removed. If these variants are still used in the database, this will fail.\n\n*/\n-- AlterTable\nALTER TABLE `User` MODIFY `name` VARCHAR(191) NULL;",
      errors: [{ messageId: "stale" }],
    }),
  ],
});

// SQLite: Prisma writes its Warnings block for SQLite too (prisma-engines' SQLite destructive change checker: drops,
// "Added the required column", "Made the column ... required", "The primary key ... will be changed", "You are about
// to alter the column ... cast from"); the changes happen in the table rebuild that follows
const TAG = tagsAndRebuild.history;
const rebuildTag = (warning: string, newTable: string, copy: string) => `/*\n  Warnings:\n\n  - ${warning}\n\n*/\n-- RedefineTables\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_Tag" (${newTable});\n${copy}\nDROP TABLE "Tag";\nALTER TABLE "new_Tag" RENAME TO "Tag";\nPRAGMA foreign_keys=ON;\n`;
new RuleTester().run(rule, {
  valid: [
    { ...SQLITE, name: "SQLite: Prisma's rebuild dropping a column and adding a required one, as warned", history: [TAG], sql: tagsAndRebuild.sql },
    {
      ...SQLITE,
      name: "SQLite: a primary key changed by a rebuild (a failed copy leaves the old table and its key in place)",
      history: [TAG],
      prismaVersion: "7.4.0",
      sql: rebuildTag("The primary key for the `Tag` table will be changed. If it partially fails, the table could be left without primary key constraint.", '"id" INTEGER NOT NULL, "label" TEXT NOT NULL PRIMARY KEY, "draft" BOOLEAN NOT NULL DEFAULT false', 'INSERT INTO "new_Tag" ("draft", "id", "label") SELECT "draft", "id", "label" FROM "Tag";'),
    },
    {
      ...SQLITE,
      name: "SQLite: a cast warning, done by the rebuild's copy into the new type",
      history: [TAG],
      sql: rebuildTag("You are about to alter the column `label` on the `Tag` table. The data in that column could be lost. The data in that column will be cast from `String` to `Int`.", '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "label" INTEGER NOT NULL, "draft" BOOLEAN NOT NULL DEFAULT false', 'INSERT INTO "new_Tag" ("draft", "id", "label") SELECT "draft", "id", "label" FROM "Tag";'),
    },
    {
      ...SQLITE,
      name: "SQLite: the author filled the required column in the copy (spacedrive's remote_identity): still the column the warning is about",
      history: [TAG],
      sql: rebuildTag("Added the required column `slug` to the `Tag` table without a default value. This is not possible if the table is not empty.", '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "label" TEXT NOT NULL, "draft" BOOLEAN NOT NULL DEFAULT false, "slug" TEXT NOT NULL', 'INSERT INTO "new_Tag" ("draft", "id", "label", "slug") SELECT "draft", "id", "label", "label" FROM "Tag";'),
    },
  ],
  invalid: [
    {
      ...SQLITE,
      name: "SQLite: the copy was edited out, so the table is dropped and recreated empty (pingvin-share's v0_5_1): the drop is news, the column warning is not stale (the column goes with its table)",
      history: [TAG],
      sql: rebuildTag("You are about to drop the column `draft` on the `Tag` table. All the data in the column will be lost.", '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "label" TEXT NOT NULL', "").replace('DROP TABLE "Tag";\nALTER TABLE "new_Tag" RENAME TO "Tag";', 'DROP TABLE "Tag";\nCREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "label" TEXT NOT NULL);'),
      errors: [{ messageId: "unmentioned", line: 11, message: 'Dropping table "Tag"' }],
    },
    {
      name: "a primary-key warning whose ALTER was replaced by DROP TABLE + CREATE TABLE by hand: the key does change; the unwarned drop is what to report",
      history: [USERS],
      sql: `${warnings(PK)}
DROP TABLE "User";
CREATE TABLE "User" ("email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("email"));`,
      errors: [{ messageId: "unmentioned", message: 'Dropping table "User"' }],
    },
  ],
});
