import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/enum-value-in-transaction.js";
import { enumRecreation } from "./prisma-sql.js";

const USERS = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const PRISMA_ADD_VALUES = `-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "Role" ADD VALUE 'OWNER';
ALTER TYPE "Role" ADD VALUE 'GUEST';`;

/** Prisma 5 recreates an enum to remove a value with unqualified names; Prisma 6 and 7 qualify them with "public". */
const PRISMA_5_RECREATION = enumRecreation({ values: "'USER', 'ADMIN'", defaultValue: "'USER'" });
const PRISMA_6_RECREATION = enumRecreation({ schema: '"public".', values: "'USER', 'ADMIN'", defaultValue: "'USER'" });

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's ADD VALUE alone (Postgres 12+)", history: [USERS], sql: `-- AlterEnum\nALTER TYPE "Role" ADD VALUE 'OWNER';` },
    { name: "Prisma's multi-value ADD VALUE block on Postgres 12+", history: [USERS], sql: PRISMA_ADD_VALUES },
    { name: "the value used in a later migration", history: [USERS, `ALTER TYPE "Role" ADD VALUE 'OWNER';`], sql: `UPDATE "User" SET "role" = 'OWNER' WHERE "id" = 1;` },
    { name: "an older value used beside the ADD VALUE", history: [USERS], sql: `ALTER TYPE "Role" ADD VALUE 'OWNER';\nUPDATE "User" SET "role" = 'ADMIN' WHERE "id" = 1;` },
    {
      name: "Prisma 7.4+ runs statements one by one: the ADD VALUE has committed",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `ALTER TYPE "Role" ADD VALUE 'OWNER';\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'OWNER';`,
    },
    { name: "values of an enum created in the same migration", sql: `CREATE TYPE "Plan" AS ENUM ('FREE');\nALTER TYPE "Plan" ADD VALUE 'PRO';\nCREATE TABLE "Team" ("plan" "Plan" NOT NULL DEFAULT 'PRO');` },
    { name: "another enum adding the same label is no use of it", history: [USERS, `CREATE TYPE "Status" AS ENUM ('ACTIVE');`], sql: `ALTER TYPE "Role" ADD VALUE 'OWNER';\nALTER TYPE "Status" ADD VALUE 'OWNER';` },
    {
      name: "the same label as the DEFAULT of a column of another enum",
      history: [
        `CREATE TYPE "EventInviteLevel" AS ENUM ('PUBLIC', 'PRIVATE');
CREATE TYPE "EventStatus" AS ENUM ('ACTIVE', 'PAUSED');
CREATE TABLE "Event" ("id" TEXT NOT NULL, "inviteLevel" "EventInviteLevel" NOT NULL DEFAULT 'PUBLIC', "status" "EventStatus" NOT NULL DEFAULT 'ACTIVE', CONSTRAINT "Event_pkey" PRIMARY KEY ("id"));`,
      ],
      sql: `-- AlterEnum
ALTER TYPE "EventInviteLevel" ADD VALUE 'PAUSED';

-- AlterTable
ALTER TABLE "Event" ALTER COLUMN "status" SET DEFAULT 'PAUSED';`,
    },
    {
      name: "the same label in a new column of another enum, and in a table without a column of the enum",
      history: [
        `CREATE TYPE "EventInviteLevel" AS ENUM ('PUBLIC', 'PRIVATE');
CREATE TABLE "Event" ("id" TEXT NOT NULL, "inviteLevel" "EventInviteLevel" NOT NULL DEFAULT 'PUBLIC', CONSTRAINT "Event_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Job" ("id" TEXT NOT NULL, "state" TEXT NOT NULL, CONSTRAINT "Job_pkey" PRIMARY KEY ("id"));`,
      ],
      sql: `-- AlterEnum
ALTER TYPE "EventInviteLevel" ADD VALUE 'PAUSED';

-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('ACTIVE', 'PAUSED');

-- AlterTable
ALTER TABLE "Event" ADD COLUMN "status" "EventStatus" NOT NULL DEFAULT 'PAUSED';

UPDATE "Job" SET "state" = 'PAUSED' WHERE "state" = 'STOPPED';`,
    },
    { name: "Postgres 11, Prisma 7.4+ without BEGIN: each ADD VALUE commits alone", history: [USERS], prismaVersion: "7.4.0", config: { postgresVersion: 11 }, sql: PRISMA_ADD_VALUES },
  ],
  invalid: [
    ...[
      { prisma: "Prisma 5", recreation: PRISMA_5_RECREATION, table: '"User"' },
      { prisma: "Prisma 6/7", recreation: PRISMA_6_RECREATION, table: '"public"."User"' },
    ].flatMap(({ prisma, recreation, table }) => [
      {
        name: `a value added after ${prisma}'s enum recreation and used in an UPDATE of the recreated enum's table`,
        history: [USERS, recreation],
        sql: `-- AlterEnum\nALTER TYPE "Role" ADD VALUE 'OWNER';\n\nUPDATE ${table} SET "role" = 'OWNER' WHERE "id" = 1;`,
        errors: [{ messageId: "unsafeUse", line: 4, message: 'adds to enum "Role"' }],
      },
      {
        name: `a value added after ${prisma}'s enum recreation and used as the column default`,
        history: [USERS, recreation],
        sql: `-- AlterEnum\nALTER TYPE "public"."Role" ADD VALUE 'OWNER';\n\n-- AlterTable\nALTER TABLE ${table} ALTER COLUMN "role" SET DEFAULT 'OWNER';`,
        errors: [{ messageId: "unsafeUse", line: 5 }],
      },
    ]),
    {
      name: "a new value as the column default in the same file",
      history: [USERS],
      sql: `-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'GUEST';

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'GUEST';`,
      errors: [
        {
          messageId: "unsafeUse",
          line: 5,
          column: 1,
          message: `Uses 'GUEST', which line 2 adds to enum "Role" in the same transaction (the same migration file, which Prisma runs as one transaction): Postgres rejects it with 'unsafe use of new value "GUEST" of enum type Role'`,
        },
      ],
    },
    {
      name: "a backfill UPDATE and a cast",
      history: [USERS],
      sql: `ALTER TYPE "Role" ADD VALUE 'OWNER';\nUPDATE "User" SET "role" = 'OWNER' WHERE "id" = 1;\nSELECT 'OWNER'::"Role";`,
      errors: [
        { messageId: "unsafeUse", line: 2 },
        { messageId: "unsafeUse", line: 3 },
      ],
    },
    {
      name: "inside one BEGIN block under Prisma 7.4+",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `BEGIN;\nALTER TYPE "Role" ADD VALUE 'OWNER';\nINSERT INTO "User" ("role") VALUES ('OWNER');\nCOMMIT;`,
      errors: [{ messageId: "unsafeUse", line: 3, message: "inside the same BEGIN ... COMMIT block" }],
    },
    {
      name: "a new column of the enum defaulting to the new value",
      history: [USERS],
      sql: `-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'OWNER';

-- AlterTable
ALTER TABLE "User" ADD COLUMN "previousRole" "Role" NOT NULL DEFAULT 'OWNER';`,
      errors: [{ messageId: "unsafeUse", line: 5 }],
    },
    {
      name: "a cast to the enum in a statement on another table, and a CHECK on the enum's table",
      history: [USERS, `CREATE TABLE "Invite" ("id" SERIAL NOT NULL, "role" TEXT NOT NULL, CONSTRAINT "Invite_pkey" PRIMARY KEY ("id"));`],
      sql: `ALTER TYPE "Role" ADD VALUE 'OWNER';
UPDATE "Invite" SET "role" = 'OWNER'::"Role"::text;
ALTER TABLE "User" ADD CONSTRAINT "User_role_check" CHECK ("role" <> 'OWNER');`,
      errors: [
        { messageId: "unsafeUse", line: 2 },
        { messageId: "unsafeUse", line: 3 },
      ],
    },
    {
      name: "Prisma's multi-value block on Postgres 11",
      history: [USERS],
      config: { postgresVersion: 11 },
      sql: PRISMA_ADD_VALUES,
      errors: [
        { messageId: "inTransaction", line: 9, message: `ALTER TYPE "Role" ADD VALUE 'OWNER' runs inside a transaction (the migration file has other statements, and Prisma runs a file as one transaction): Postgres 11 (before 12) rejects it` },
        { messageId: "inTransaction", line: 10 },
      ],
    },
    {
      name: "Postgres 11: inside BEGIN even when alone",
      history: [USERS],
      config: { postgresVersion: 11 },
      prismaVersion: "7.4.0",
      sql: `BEGIN;\nALTER TYPE "Role" ADD VALUE 'OWNER';\nCOMMIT;`,
      errors: [{ messageId: "inTransaction", line: 2, message: "inside BEGIN ... COMMIT" }],
    },
  ],
});
