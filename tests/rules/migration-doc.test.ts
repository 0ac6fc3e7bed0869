import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/migration-doc.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const DROP_NAME = `/*
  Warnings:

  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "User" DROP COLUMN "name";`;

new RuleTester().run(rule, {
  valid: [
    { name: "a safe Prisma migration needs no comment", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;\n\n-- CreateTable\nCREATE TABLE "Post" ("id" SERIAL NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));` },
    { name: "a risky migration with a comment on purpose and impact", history: [USERS], sql: `-- User.name is replaced by Profile.displayName (backfilled in 20240301000000_backfill_display_name);\n-- nothing reads it since release 2024.03.\n${DROP_NAME}` },
    { name: "a block comment counts", history: [USERS], sql: `/* Index for the login lookup. User has 40k rows: the build blocks writes for about a second. */\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");` },
  ],
  invalid: [
    { name: "Prisma's DROP COLUMN with only its generated comments", history: [USERS], sql: DROP_NAME, errors: [{ messageId: "undocumented", line: 8, column: 1, message: 'This migration drops column "name" of "User" but has no comment' }] },
    {
      name: "an index build under a Prisma header",
      history: [USERS],
      sql: `-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`,
      errors: [{ messageId: "undocumented", line: 2, message: 'holds a SHARE lock on "User" for an index build' }],
    },
    { name: "Prisma's empty-migration line is not documentation", history: [USERS], sql: `-- This is an empty migration.\n\nDELETE FROM "User" WHERE "email" IS NULL;`, errors: [{ messageId: "undocumented", line: 3 }] },
    { name: "reported once, at the first risky statement", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\nALTER TABLE "User" DROP COLUMN "name";\nTRUNCATE "User";`, errors: [{ messageId: "undocumented", line: 3 }] },
  ],
});
