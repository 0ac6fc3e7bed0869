import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/mysql-lock-wait-timeout.js";
import { MYSQL_INIT, onMysql } from "./mysql-fixtures.js";

new RuleTester().run(rule, {
  valid: [
    { name: "tables created in this migration", lockProvider: "mysql", sql: MYSQL_INIT },
    onMysql({ name: "SET lock_wait_timeout first", sql: "SET lock_wait_timeout = 5;\n\n-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;" }),
    onMysql({ name: "SET SESSION lock_wait_timeout first", sql: "SET SESSION lock_wait_timeout = 5;\nCREATE INDEX `User_name_idx` ON `User`(`name`);" }),
    onMysql({ name: "what --fix writes lints clean (SET first, back to the server's DEFAULT last; CRLF kept)", sql: "SET lock_wait_timeout = 5;\r\n\r\n-- AlterTable\r\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\r\n\r\nSET lock_wait_timeout = DEFAULT;\r\n" }),
    onMysql({ name: "data only", sql: "UPDATE `User` SET `name` = 'x' WHERE `id` = 1;" }),
  ],
  invalid: [
    onMysql({
      name: "Prisma's ADD COLUMN and index, unguarded: one finding with the count",
      sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\n\n-- CreateIndex\nCREATE INDEX `User_nick_idx` ON `User`(`nick`);",
      errors: [{ messageId: "missing", line: 2, message: "exclusive metadata lock on `User`, with no lock_wait_timeout set before it (2 unguarded statements" }],
      output: "SET lock_wait_timeout = 5;\n\n-- AlterTable\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\n\n-- CreateIndex\nCREATE INDEX `User_nick_idx` ON `User`(`nick`);\n\nSET lock_wait_timeout = DEFAULT;\n",
    }),
    onMysql({
      name: "SET GLOBAL only reaches later sessions",
      sql: "SET GLOBAL lock_wait_timeout = 5;\nALTER TABLE `User` DROP COLUMN `name`;",
      errors: [{ messageId: "missing", line: 2 }],
      output: "SET lock_wait_timeout = 5;\n\nSET GLOBAL lock_wait_timeout = 5;\nALTER TABLE `User` DROP COLUMN `name`;\n\nSET lock_wait_timeout = DEFAULT;\n",
    }),
    onMysql({
      name: "the guard set after the statement: no fix (the file already sets it; a header would stack)",
      sql: "ALTER TABLE `Post` RENAME INDEX `Post_authorId_idx` TO `Post_author_idx`;\nSET lock_wait_timeout = 5;",
      errors: [{ messageId: "missing", line: 1, message: "`Post`" }],
      output: null,
    }),
  ],
});
