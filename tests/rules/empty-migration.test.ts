import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/empty-migration.js";

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's generated CREATE TABLE", sql: `-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n` },
    { name: "Prisma's empty-migration marker with the hand-written SQL below it", sql: `-- This is an empty migration.\n\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n` },
  ],
  invalid: [
    {
      name: "what `prisma migrate dev --create-only` writes when the schema did not change",
      sql: "-- This is an empty migration.",
      errors: [{ messageId: "empty", line: 1, column: 1, message: "migration.sql holds only Prisma's \"-- This is an empty migration.\": `prisma migrate deploy` records the migration as applied and changes nothing" }],
    },
    { name: "an empty file", sql: "", errors: [{ messageId: "empty", line: 1, message: "migration.sql is empty:" }] },
    { name: "whitespace and a lone semicolon", sql: "\n\n  ;\n", errors: [{ messageId: "empty", message: "migration.sql is empty:" }] },
    {
      name: "hand-written comments and a commented-out statement",
      sql: `-- Backfill the display names\n/* UPDATE "User" SET "name" = "email"; */\n-- TODO\n`,
      errors: [{ messageId: "empty", line: 1, message: "migration.sql holds only comments:" }],
    },
  ],
});
