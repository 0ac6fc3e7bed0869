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


/** The second suggestion: @map("name") on User.fullName, and the migration keeps the table as it is. */
const MAP_NAME = { messageId: "mapColumn", output: "", files: [{ filePath: "../schema.prisma", text: SCHEMA.replace("fullName  String?", 'fullName  String? @map("name")') }] };

const ACCOUNTS = `CREATE TABLE "accounts" ("id" TEXT PRIMARY KEY, "session_state" TEXT, "token_type" TEXT, "type" TEXT);`;
const ORGS = `-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerId" TEXT,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "isAIEnabled" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);`;
const TOKENS = `-- CreateTable
CREATE TABLE "VerificationToken" (
    "id" SERIAL NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("id")
);`;
const RECIPIENTS = `CREATE TABLE "Recipient" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "Recipient_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Signature" ("id" SERIAL NOT NULL, "userId" INTEGER NOT NULL, "enabledTypedSignature" BOOLEAN NOT NULL DEFAULT true, "profileURL" TEXT, CONSTRAINT "Signature_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;`;
const NEXTAUTH = `-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);`;

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
    {
      name: "unrelated columns of the same type are not paired (session_state is no password)",
      history: [ACCOUNTS],
      sql: `ALTER TABLE "accounts" DROP COLUMN "session_state", DROP COLUMN "token_type", DROP COLUMN "type", ADD COLUMN "password" TEXT;`,
    },
    {
      name: "Prisma's DROP + ADD of unrelated fields: names that share nothing, or only \"Id\"",
      history: [ORGS],
      sql: `/*
  Warnings:

  - You are about to drop the column \`archived\` on the \`Organization\` table. All the data in the column will be lost.
  - You are about to drop the column \`customerId\` on the \`Organization\` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "Organization" DROP COLUMN "archived",
DROP COLUMN "customerId",
ADD COLUMN     "isUnique" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "organisationId" TEXT;`,
    },
    {
      name: "the data is copied into the new column before the drop (UPDATE ... SET new = old)",
      history: [ORGS],
      sql: `-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "isAISmartToolsEnabled" BOOLEAN NOT NULL DEFAULT false;

UPDATE "Organization" SET "isAISmartToolsEnabled" = "isAIEnabled";

-- AlterTable
ALTER TABLE "Organization" DROP COLUMN "isAIEnabled";`,
    },
    {
      name: "the new column's foreign key points at another table than the dropped one's",
      history: [USERS, RECIPIENTS],
      sql: `-- DropForeignKey
ALTER TABLE "Signature" DROP CONSTRAINT "Signature_userId_fkey";

-- AlterTable
ALTER TABLE "Signature" DROP COLUMN "userId",
ADD COLUMN     "recipientId" INTEGER NOT NULL;

-- AddForeignKey
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "Recipient"("id") ON DELETE CASCADE ON UPDATE CASCADE;`,
    },
    {
      name: "a column dropped and re-added with another type is not renamed to a new column that shares a word",
      history: [`CREATE TABLE "PersonalAccessToken" ("id" TEXT NOT NULL, "encryptedToken" TEXT NOT NULL);`],
      sql: `ALTER TABLE "PersonalAccessToken" DROP COLUMN "encryptedToken",
ADD COLUMN     "encryptedToken" JSONB NOT NULL,
ADD COLUMN     "obfuscatedToken" TEXT NOT NULL;`,
    },
    {
      name: "two join tables of an implicit many-to-many (A, B) with unrelated names",
      history: [`CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);`],
      sql: `DROP TABLE "_PostToTag";\nCREATE TABLE "_UserToRole" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);`,
    },
    {
      name: "the rows are copied into the new table before the drop",
      history: [USERS, POSTS],
      sql: `CREATE TABLE "Article" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, "body" TEXT, "authorId" INTEGER NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "Article_pkey" PRIMARY KEY ("id"));
INSERT INTO "Article" ("id", "title", "body", "authorId", "createdAt") SELECT "id", "title", "body", "authorId", "createdAt" FROM "Post";
DROP TABLE "Post";`,
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
          messageId: "column", suggestions: [{ messageId: "renameColumn", output: "-- AlterTable\nALTER TABLE \"User\" RENAME COLUMN \"name\" TO \"fullName\";" }, MAP_NAME],
          line: 9,
          column: 1,
          message: 'Looks like "name" was renamed to "fullName" on "User" (text; the names share "name"), but the migration drops "name" and adds "fullName": every value of "name" is deleted, "fullName" starts NULL in every row',
        },
      ],
    },
    {
      name: "the help names both fixes and the field in schema.prisma",
      history: [USERS],
      schema: SCHEMA,
      sql: `ALTER TABLE "User" DROP COLUMN "name",\nADD COLUMN     "fullName" TEXT;`,
      errors: [{ messageId: "column", suggestions: [{ messageId: "renameColumn", output: "ALTER TABLE \"User\" RENAME COLUMN \"name\" TO \"fullName\";" }, MAP_NAME], line: 2 }],
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
      errors: [{ messageId: "column", suggestions: [{ messageId: "renameColumn", output: "-- AlterTable\nALTER TABLE \"User\" RENAME COLUMN \"email\" TO \"emailAddress\";" }], line: 10, message: "as NOT NULL without a default, the ADD fails on a non-empty table" }],
    },
    {
      name: "hand-written, in separate statements and ADD first; the most similar name is paired",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "displayName" TEXT;\nALTER TABLE "User" DROP COLUMN "email";\nALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "column", suggestions: [{ messageId: "renameColumn", output: "ALTER TABLE \"User\" RENAME COLUMN \"name\" TO \"displayName\";\nALTER TABLE \"User\" DROP COLUMN \"email\";\n" }], line: 1, message: '"name" was renamed to "displayName"' }],
    },
    {
      name: "a widened type still counts (varchar(100) to text)",
      history: [`CREATE TABLE "Tag" ("id" INTEGER NOT NULL, "label" VARCHAR(100));`],
      sql: `ALTER TABLE "Tag" DROP COLUMN "label", ADD COLUMN "labelText" TEXT;`,
      errors: [{ messageId: "column", message: '"label" was renamed to "labelText" on "Tag" (varchar(100); the names share "label")' }],
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
      errors: [{ messageId: "table", line: 2, message: '(5 of 6 columns match; the names share "post")' }],
    },
    {
      name: "the best pairing overall: expires goes to expiresAt, not to createdAt listed first",
      history: [TOKENS],
      sql: `/*
  Warnings:

  - You are about to drop the column \`expires\` on the \`VerificationToken\` table. All the data in the column will be lost.
  - Added the required column \`expiresAt\` to the \`VerificationToken\` table without a default value. This is not possible if the table is not empty.

*/
-- AlterTable
ALTER TABLE "VerificationToken" DROP COLUMN "expires",
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "expiresAt" TIMESTAMP(3) NOT NULL;`,
      errors: [{ messageId: "column", line: 11, message: 'Looks like "expires" was renamed to "expiresAt" on "VerificationToken" (timestamp(3); the names differ only in "at")' }],
    },
    {
      name: "the same words in another order",
      history: [USERS, RECIPIENTS],
      sql: `ALTER TABLE "Signature" DROP COLUMN "enabledTypedSignature",\nADD COLUMN     "typedSignatureEnabled" BOOLEAN NOT NULL DEFAULT true;`,
      errors: [{ messageId: "column", suggestions: [{ messageId: "renameColumn", output: "ALTER TABLE \"Signature\" RENAME COLUMN \"enabledTypedSignature\" TO \"typedSignatureEnabled\";" }], line: 2, message: '"enabledTypedSignature" was renamed to "typedSignatureEnabled" on "Signature" (bool; the names have the same words)' }],
    },
    {
      name: "schema.prisma keeps the field's name and maps it to the new column",
      history: [USERS, RECIPIENTS],
      schema: `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Signature {\n  id         Int     @id @default(autoincrement())\n  profileURL String? @map("url")\n  bio        String? @map("about")\n}\n`,
      sql: `ALTER TABLE "Signature" DROP COLUMN "profileURL",\nADD COLUMN     "url" TEXT;`,
      errors: [{ messageId: "column", suggestions: [{ messageId: "renameColumn", output: "ALTER TABLE \"Signature\" RENAME COLUMN \"profileURL\" TO \"url\";" }], line: 2, message: 'schema.prisma\'s field Signature.profileURL now maps to "url"; the names share "url"' }],
    },
    {
      name: "the migration's name says which column became which",
      history: [`CREATE TABLE "WorkflowRun" ("id" TEXT NOT NULL, "data" JSONB NOT NULL);`],
      migrationName: "rename_data_to_input",
      sql: `ALTER TABLE "WorkflowRun" DROP COLUMN "data",\nADD COLUMN     "input" JSONB NOT NULL;`,
      errors: [{ messageId: "column", suggestions: [{ messageId: "renameColumn", output: "ALTER TABLE \"WorkflowRun\" RENAME COLUMN \"data\" TO \"input\";" }], line: 2, message: '(jsonb; the migration\'s name "rename_data_to_input" names both)' }],
    },
    {
      name: "a foreign key column renamed along with the table it references",
      history: [`CREATE TABLE "Execution" ("id" TEXT NOT NULL, "status" TEXT NOT NULL, "output" JSONB, "startedAt" TIMESTAMP(3), CONSTRAINT "Execution_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Task" ("id" TEXT NOT NULL, "executionId" TEXT NOT NULL, CONSTRAINT "Task_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Task" ADD CONSTRAINT "Task_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`],
      sql: `-- DropForeignKey
ALTER TABLE "Task" DROP CONSTRAINT "Task_executionId_fkey";

-- AlterTable
ALTER TABLE "Task" DROP COLUMN "executionId",
ADD COLUMN     "runId" TEXT NOT NULL;

-- DropTable
DROP TABLE "Execution";

-- CreateTable
CREATE TABLE "JobRun" ("id" TEXT NOT NULL, "status" TEXT NOT NULL, "output" JSONB, "startedAt" TIMESTAMP(3), CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id"));

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
      errors: [
        { messageId: "column", suggestions: [{ messageId: "renameColumn", output: `-- DropForeignKey
ALTER TABLE "Task" DROP CONSTRAINT "Task_executionId_fkey";

-- AlterTable
ALTER TABLE "Task" RENAME COLUMN "executionId" TO "runId";

-- DropTable
DROP TABLE "Execution";

-- CreateTable
CREATE TABLE "JobRun" ("id" TEXT NOT NULL, "status" TEXT NOT NULL, "output" JSONB, "startedAt" TIMESTAMP(3), CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id"));

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;` }], line: 6, message: '(text; "executionId" referenced "Execution", renamed to "JobRun" in this migration, and "runId" references "JobRun")' },
        { messageId: "table", line: 12, message: 'Looks like table "Execution" was renamed to "JobRun" (4 of 4 columns match)' },
      ],
    },
    {
      name: "a model renamed with @@map and its columns renamed to snake_case (Account -> accounts)",
      history: [NEXTAUTH],
      schema: `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Account {\n  id                String  @id\n  userId            String  @map("user_id")\n  type              String\n  provider          String\n  providerAccountId String  @map("provider_account_id")\n  refresh_token     String?\n  access_token      String?\n\n  @@map("accounts")\n}\n`,
      sql: `-- DropTable
DROP TABLE "Account";

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);`,
      errors: [{ messageId: "table", line: 5, message: 'Looks like table "Account" was renamed to "accounts" (7 of 7 columns match; schema.prisma\'s model Account now maps to "accounts"; the names have the same words)' }],
    },
    {
      name: "the rename suggestion in a CRLF file trims only the Warnings lines that no longer apply",
      history: [USERS],
      sql: "/*\r\n  Warnings:\r\n\r\n  - You are about to drop the column `name` on the `User` table. All the data in the column will be lost.\r\n  - You are about to drop the column `email` on the `User` table. All the data in the column will be lost.\r\n\r\n*/\r\n-- AlterTable\r\nALTER TABLE \"User\" DROP COLUMN \"name\";\r\n\r\n-- AlterTable\r\nALTER TABLE \"User\" ADD COLUMN \"fullName\" TEXT;\r\n\r\n-- AlterTable\r\nALTER TABLE \"User\" DROP COLUMN \"email\";\r\n",
      errors: [
        {
          messageId: "column",
          line: 12,
          suggestions: [{ messageId: "renameColumn", output: "/*\r\n  Warnings:\r\n\r\n  - You are about to drop the column `email` on the `User` table. All the data in the column will be lost.\r\n\r\n*/\r\n-- AlterTable\r\nALTER TABLE \"User\" RENAME COLUMN \"name\" TO \"fullName\";\r\n\r\n-- AlterTable\r\nALTER TABLE \"User\" DROP COLUMN \"email\";\r\n" }],
        },
      ],
    },
  ],
});
