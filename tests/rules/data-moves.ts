/**
 * Migrations that move data instead of losing it, shared by the rules that must agree on them:
 * destructive-change stays silent, breaking-rename reports the move, column-type-change the swap.
 */

/** A table whose text column a swap turns into an enum. */
export const TASKS = `CREATE TABLE "Task" ("id" SERIAL NOT NULL, "status" TEXT NOT NULL DEFAULT 'active', CONSTRAINT "Task_pkey" PRIMARY KEY ("id"));`;

/** A hand-written column swap: the type changes, the data and the name stay (the DROP is on line 7, the UPDATE on line 6). */
export const SWAP = `-- CreateEnum
CREATE TYPE "Status" AS ENUM ('active', 'done');

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "status_enum" "Status";
UPDATE "Task" SET "status_enum" = "status"::"Status";
ALTER TABLE "Task" DROP COLUMN "status";
ALTER TABLE "Task" RENAME COLUMN "status_enum" TO "status";`;

/** "User"."name" copied into a new column, then dropped (a rename in effect; the UPDATE on line 4, the DROP on line 7). */
export const COPY_THEN_DROP = `-- AlterTable
ALTER TABLE "User" ADD COLUMN     "displayName" TEXT;

UPDATE "User" SET "displayName" = "name";

-- AlterTable
ALTER TABLE "User" DROP COLUMN "name";`;
