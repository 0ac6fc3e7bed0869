import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/mysql-zero-fill.js";
import { onMysql } from "./mysql-fixtures.js";

const LAX = { sqlMode: "NO_ENGINE_SUBSTITUTION" };
const MARIADB = { sqlMode: "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION" };

new RuleTester().run(rule, {
  valid: [
    onMysql({ name: "Prisma's required column with a default", sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL DEFAULT 18;" }),
    onMysql({ name: "an optional column", sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `age` INTEGER NULL;" }),
    onMysql({ name: "an AUTO_INCREMENT column numbers the rows", sql: "ALTER TABLE `Post` ADD COLUMN `seq` INTEGER NOT NULL AUTO_INCREMENT, ADD UNIQUE INDEX `Post_seq_key`(`seq`);" }),
    { name: "a required column on a table created in the same migration", lockProvider: "mysql", sql: "CREATE TABLE `T` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\nALTER TABLE `T` ADD COLUMN `age` INTEGER NOT NULL;" },
    onMysql({ name: "MODIFY restating a column that is already NOT NULL", sql: "ALTER TABLE `Post` MODIFY `authorId` INTEGER NOT NULL;" }),
    { name: "PostgreSQL: add-required-column's finding, not this rule's", history: ['CREATE TABLE "User" ("id" SERIAL PRIMARY KEY);'], sql: 'ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;' },
  ],
  invalid: [
    onMysql({
      name: "Prisma's required INTEGER without a default: 0 in every row, even under MySQL 8's strict default (a warning there)",
      sql: "/*\n  Warnings:\n\n  - Added the required column `age` to the `User` table without a default value. There are 2 rows in this table, it is not possible to execute this step.\n\n*/\n-- AlterTable\nALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL;",
      errors: [{ messageId: "fill", line: 8, message: "it writes 0 into every existing row (even under a strict sql_mode)" }],
    }),
    onMysql({
      name: "the same under a lax sql_mode",
      options: LAX,
      sql: "ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NOT NULL;",
      errors: [{ messageId: "fill", message: "it writes '' (the empty string) into every existing row (under this lax sql_mode)" }],
    }),
    onMysql({
      name: "a required DATETIME under MySQL 8's default: the ALTER fails on '0000-00-00'",
      sql: "ALTER TABLE `User` ADD COLUMN `born` DATETIME(3) NOT NULL;",
      errors: [{ messageId: "failDate", message: "error 1292, incorrect value '0000-00-00 00:00:00'" }],
    }),
    onMysql({
      name: "a required DATETIME under MariaDB's default (no NO_ZERO_DATE): filled with zeros",
      options: MARIADB,
      sql: "ALTER TABLE `User` ADD COLUMN `born` DATETIME(3) NOT NULL;",
      errors: [{ messageId: "fill", message: "'0000-00-00 00:00:00'" }],
    }),
    onMysql({
      name: "an ENUM column gets its first value",
      sql: "ALTER TABLE `User` ADD COLUMN `plan` ENUM('FREE', 'PRO') NOT NULL;",
      errors: [{ messageId: "fill", message: "it writes 'FREE' into every existing row" }],
    }),
    onMysql({
      name: "Prisma making a field required (MODIFY ... NOT NULL), strict sql_mode: fails on NULLs",
      sql: "/*\n  Warnings:\n\n  - Made the column `name` on table `User` required. This step will fail if there are existing NULL values in that column.\n\n*/\n-- AlterTable\nALTER TABLE `User` MODIFY `name` VARCHAR(191) NOT NULL;",
      errors: [{ messageId: "nullsStrict", line: 8 }],
    }),
    onMysql({
      name: "the same under a lax sql_mode: NULLs become ''",
      options: LAX,
      sql: "ALTER TABLE `User` MODIFY `name` VARCHAR(191) NOT NULL;",
      errors: [{ messageId: "nullsLax", message: "replaces every NULL in it with '' (the empty string)" }],
    }),
  ],
});
