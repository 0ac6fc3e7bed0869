import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/implicit-rename.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const POSTS = `-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "authorId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`;
const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id        Int      @id @default(autoincrement())
  email     String
  fullName  String?
  createdAt DateTime @default(now())
}

model Article {
  id       Int    @id @default(autoincrement())
  title    String
  body     String?
  authorId Int
  createdAt DateTime @default(now())
}
`;

new RuleTester().run(rule, {
  valid: [
    { name: "a real RENAME COLUMN", history: [USERS], sql: `ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";` },
    { name: "the added column has another type", history: [USERS], sql: `ALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN     "age" INTEGER;` },
    { name: "a column dropped and re-added under the same name (a type change)", history: [USERS], sql: `ALTER TABLE "User" DROP COLUMN "createdAt",\nADD COLUMN     "createdAt" TIMESTAMP(3);` },
    { name: "only an add", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "nickname" TEXT;` },
    { name: "drop and add on different tables", history: [USERS, POSTS], sql: `ALTER TABLE "User" DROP COLUMN "name";\nALTER TABLE "Post" ADD COLUMN "subtitle" TEXT;` },
    { name: "drop and add on a table created in this migration", sql: `${USERS}\nALTER TABLE "User" DROP COLUMN "name";\nALTER TABLE "User" ADD COLUMN "fullName" TEXT;` },
    { name: "a table dropped and re-created under the same name", history: [USERS, POSTS], sql: `DROP TABLE "Post";\n${POSTS}` },
    {
      name: "a dropped table and a new table with different columns",
      history: [USERS, POSTS],
      sql: `DROP TABLE "Post";\nCREATE TABLE "AuditLog" ("id" SERIAL NOT NULL, "action" TEXT NOT NULL, "payload" JSONB, CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id"));`,
    },
  ],
  invalid: [
    {
      name: "Prisma's DROP + ADD COLUMN for a renamed field, with its Warnings block",
      history: [USERS],
      schema: SCHEMA,
      sql: `/*
  Warnings:

  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "User" DROP COLUMN "name",
ADD COLUMN     "fullName" TEXT;`,
      errors: [
        {
          messageId: "column",
          line: 9,
          column: 1,
          message: 'Looks like "name" was renamed to "fullName" on "User" (text), but the migration drops "name" and adds "fullName": every value of "name" is deleted, "fullName" starts NULL in every row',
        },
      ],
    },
    {
      name: "the help names both fixes and the field in schema.prisma",
      history: [USERS],
      schema: SCHEMA,
      sql: `ALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN     "fullName" TEXT;`,
      errors: [{ messageId: "column", line: 2 }],
    },
    {
      name: "a renamed required field: the ADD also fails on a non-empty table",
      history: [USERS],
      sql: `/*
  Warnings:

  - You are about to drop the column \`email\` on the \`User\` table. All the data in the column will be lost.
  - Added the required column \`emailAddress\` to the \`User\` table without a default value. This is not possible if the table is not empty.

*/
-- AlterTable
ALTER TABLE "User" DROP COLUMN "email",
ADD COLUMN     "emailAddress" TEXT NOT NULL;`,
      errors: [{ messageId: "column", line: 10, message: "as NOT NULL without a default, the ADD fails on a non-empty table" }],
    },
    {
      name: "hand-written, in separate statements and ADD first; the most similar name is paired",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "displayName" TEXT;\nALTER TABLE "User" DROP COLUMN "email";\nALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "column", line: 1, message: '"name" was renamed to "displayName"' }],
    },
    {
      name: "a widened type still counts (varchar(100) to text)",
      history: [`CREATE TABLE "Tag" ("id" INTEGER NOT NULL, "label" VARCHAR(100));`],
      sql: `ALTER TABLE "Tag" DROP COLUMN "label", ADD COLUMN "title" TEXT;`,
      errors: [{ messageId: "column", message: '"label" was renamed to "title" on "Tag" (varchar(100))' }],
    },
    {
      name: "Prisma's DROP TABLE + CREATE TABLE for a renamed model",
      history: [USERS, POSTS],
      schema: SCHEMA,
      sql: `/*
  Warnings:

  - You are about to drop the \`Post\` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropForeignKey
ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";

-- DropTable
DROP TABLE "Post";

-- CreateTable
CREATE TABLE "Article" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "authorId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Article_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
      errors: [{ messageId: "table", line: 14, column: 1, message: 'Looks like table "Post" was renamed to "Article" (5 of 5 columns match)' }],
    },
    {
      name: "a renamed model with one field changed still matches mostly",
      history: [USERS, POSTS],
      sql: `DROP TABLE "Post";\nCREATE TABLE "BlogPost" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, "body" TEXT, "authorId" INTEGER NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "slug" TEXT, CONSTRAINT "BlogPost_pkey" PRIMARY KEY ("id"));`,
      errors: [{ messageId: "table", line: 2, message: "(5 of 6 columns match)" }],
    },
  ],
});
