import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/mysql-table-copy.js";
import { MYSQL_INIT, onMysql } from "./mysql-fixtures.js";

const FK = "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE";

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's foreign key right after the CREATE TABLE (an empty table)", lockProvider: "mysql", sql: `${MYSQL_INIT}\n-- AddForeignKey\n${FK};` },
    onMysql({ name: "foreign_key_checks off: InnoDB adds the key in place", sql: `SET foreign_key_checks = 0;\n${FK}, ALGORITHM=INPLACE, LOCK=NONE;\nSET foreign_key_checks = 1;` }),
    onMysql({ name: "ALGORITHM=INPLACE named: MySQL refuses instead of copying", sql: `${FK}, ALGORITHM=INPLACE;` }),
    onMysql({ name: "appending an enum value is instant", sql: "ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN', 'OWNER') NOT NULL DEFAULT 'USER';" }),
    onMysql({ name: "Prisma restating a column's type unchanged", sql: "ALTER TABLE `User` MODIFY `createdAt` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP;" }),
    onMysql({ name: "an index is built online", sql: "CREATE INDEX `User_name_idx` ON `User`(`name`);" }),
  ],
  invalid: [
    onMysql({
      name: "Prisma's foreign key on an existing table",
      sql: `-- AddForeignKey\n${FK};`,
      errors: [{ messageId: "foreignKey", line: 2, message: "InnoDB can only add it with ALGORITHM=COPY, which copies every row of `Post`" }],
    }),
    onMysql({
      name: "foreign_key_checks switched back on before the key",
      sql: `SET foreign_key_checks = 0;\nSET foreign_key_checks = 1;\n${FK};`,
      errors: [{ messageId: "foreignKey", line: 3 }],
    }),
    onMysql({
      name: "Prisma's INT to BIGINT",
      sql: "-- AlterTable\nALTER TABLE `Post` MODIFY `authorId` BIGINT NOT NULL;",
      errors: [{ messageId: "typeChange", line: 2, message: "Changes `Post`.`authorId` from int to bigint" }],
    }),
  ],
});
