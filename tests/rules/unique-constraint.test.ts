import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/unique-constraint.js";
import { MYSQL_INIT, onMysql } from "./mysql-fixtures.js";
import { rebuildUser, SQLITE, usersPostsSessions } from "./sqlite-fixtures.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const TAGS = `CREATE TABLE "Tag" ("name" TEXT NOT NULL);`;

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's unique index on a table created in the same migration", sql: `${USERS}\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");` },
    { name: "CREATE UNIQUE INDEX CONCURRENTLY", history: [USERS], sql: `CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");` },
    { name: "ADD CONSTRAINT ... UNIQUE USING INDEX", history: [USERS, `CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");`], sql: `ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";` },
    { name: "a non-unique index is require-concurrently's", history: [USERS], sql: `CREATE INDEX "User_email_idx" ON "User"("email");` },
    { name: "a serial key column on a new table", sql: `${TAGS}\nALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,\nADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");` },
    {
      name: "Prisma 6/7's unique index on a table TRUNCATEd earlier in the file: an empty build under the lock TRUNCATE holds",
      history: [USERS],
      sql: `TRUNCATE TABLE "public"."User";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "public"."User"("email");`,
    },
    {
      name: "a serial key column on a table TRUNCATEd earlier in the file: no rows to number",
      history: [TAGS],
      sql: `TRUNCATE "Tag";\nALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,\nADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");`,
    },
  ],
  invalid: [
    {
      name: "Prisma's unique index after DELETE without WHERE: the build cannot fail on duplicates but reads the dead rows under its lock",
      history: [USERS],
      sql: `DELETE FROM "User";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`,
      errors: [{ messageId: "index", line: 4, message: /\(reads continue\); it cannot fail on duplicates \(the DELETE on line 1 emptied the table\)/ }],
    },
    {
      name: "an INSERT after the TRUNCATE brings rows back: duplicates can fail the build again",
      history: [USERS],
      sql: `TRUNCATE "User";\nINSERT INTO "User" ("email", "uuid") VALUES ('a@example.com', 'x');\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");`,
      errors: [{ messageId: "constraint", line: 3, message: "the migration fails if existing rows hold duplicates." }],
    },
    {
      name: "Prisma's @unique on an existing table under its Warnings block",
      history: [USERS],
      sql: `/*
  Warnings:

  - A unique constraint covering the columns \`[email]\` on the table \`User\` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");`,
      errors: [
        {
          messageId: "index",
          line: 8,
          column: 1,
          message: 'CREATE UNIQUE INDEX "User_email_key" without CONCURRENTLY holds a SHARE lock on "User" for the whole build, which blocks writes (reads continue); the migration fails if existing rows hold duplicate values of ("email")',
        },
      ],
    },
    {
      name: "Prisma's changed @id: a new primary key constraint",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" DROP CONSTRAINT "User_pkey",\nADD CONSTRAINT "User_pkey" PRIMARY KEY ("uuid");`,
      errors: [{ messageId: "constraint", line: 3, message: 'Adds PRIMARY KEY "User_pkey" to "User" by building its index under an ACCESS EXCLUSIVE lock, which blocks reads and writes on "User"' }],
    },
    {
      name: "hand-written ADD CONSTRAINT UNIQUE",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");`,
      errors: [{ messageId: "constraint", message: "the migration fails if existing rows hold duplicates." }],
    },
    {
      name: "Prisma's new autoincrement id on an existing model",
      history: [USERS, TAGS],
      sql: `-- AlterTable
ALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,
ADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");`,
      errors: [{ messageId: "keyColumn", line: 3, message: 'Adds primary key column "id" to "Tag": Postgres writes a sequence value into every existing row (a full rewrite)' }],
    },
    {
      name: "an identity primary key column inline",
      history: [TAGS],
      sql: `ALTER TABLE "Tag" ADD COLUMN "id" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
      errors: [{ messageId: "keyColumn" }],
    },
    {
      name: "a unique column added inline",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "handle" TEXT UNIQUE;`,
      errors: [{ messageId: "constraint", message: 'UNIQUE constraint "User_handle_key"' }],
    },
  ],
});

// MySQL: InnoDB builds a unique index online, so only the duplicates can fail it
new RuleTester().run(rule, {
  valid: [
    { name: "MySQL: Prisma's UNIQUE INDEX inside a new table", lockProvider: "mysql", sql: MYSQL_INIT },
    onMysql({ name: "MySQL: a plain index", sql: "-- CreateIndex\nCREATE INDEX `User_name_idx` ON `User`(`name`);" }),
    onMysql({
      name: "MySQL: a unique key over columns that already have one, in another order (evolution-api's unique_remote_instance)",
      history: [MYSQL_INIT, "CREATE UNIQUE INDEX `User_name_email_key` ON `User`(`name`, `email`);"],
      sql: "ALTER TABLE User ADD CONSTRAINT unique_email_name UNIQUE (email, name);",
    }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: Prisma's CREATE UNIQUE INDEX on an existing table fails on duplicates, with no Postgres lock in the message",
      sql: "-- CreateIndex\nCREATE UNIQUE INDEX `User_name_key` ON `User`(`name`);",
      errors: [{ messageId: "duplicates", line: 2, message: "Builds the unique index `User_name_key` on `User`, which already holds rows: the migration fails if existing rows hold duplicate values of (`name`)" }],
    }),
    onMysql({
      name: "MySQL: a hand-written ADD CONSTRAINT ... UNIQUE (evolution-api's)",
      sql: "ALTER TABLE User ADD CONSTRAINT unique_name_role UNIQUE (name, role);",
      errors: [{ messageId: "duplicates", line: 1, message: "(`name`, `role`)" }],
    }),
  ],
});

// SQLite: CREATE UNIQUE INDEX on a table with duplicates fails ("UNIQUE constraint failed: User.name", measured on sql.js,
// SQLite 3.54); a rebuild drops the old table's indexes and Prisma creates them again after the copy
const onSqlite = <T extends object>(testCase: T) => ({ ...SQLITE, history: [usersPostsSessions], ...testCase });
/** spacedrive's volume before 20230712050046_library_instance: unique over (node_id, mount_point, name). */
const volumes = `CREATE TABLE "volume" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "node_id" INTEGER NOT NULL, "name" TEXT NOT NULL, "mount_point" TEXT NOT NULL);
CREATE UNIQUE INDEX "volume_node_id_mount_point_name_key" ON "volume"("node_id", "mount_point", "name");
`;
/** Prisma's rebuild of volume, keeping node_id or leaving it out, then the index Prisma creates after the copy. */
const rebuildVolume = (keepNode: boolean, index: string) => {
  const copied = keepNode ? '"id", "mount_point", "name", "node_id"' : '"id", "mount_point", "name"';
  return `-- RedefineTables
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_volume" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,${keepNode ? ' "node_id" INTEGER NOT NULL,' : ""} "name" TEXT NOT NULL, "mount_point" TEXT NOT NULL);
INSERT INTO "new_volume" (${copied}) SELECT ${copied} FROM "volume";
DROP TABLE "volume";
ALTER TABLE "new_volume" RENAME TO "volume";
${index}
PRAGMA foreign_keys=ON;
`;
};
new RuleTester().run(rule, {
  valid: [
    onSqlite({ name: "SQLite: Prisma's rebuild creates the old unique index again (its rows were unique when copied)", sql: rebuildUser }),
    { ...SQLITE, name: "SQLite: a rebuild keeping every column of the old key", history: [volumes], sql: rebuildVolume(true, 'CREATE UNIQUE INDEX "volume_node_id_mount_point_name_key" ON "volume"("node_id", "mount_point", "name");') },
    onSqlite({ name: "SQLite: a unique index on a column added NULL in the same migration (pingvin-share's User.ldapDN)", sql: '-- AlterTable\nALTER TABLE "User" ADD COLUMN "ldapDN" TEXT;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_ldapDN_key" ON "User"("ldapDN");' }),
    onSqlite({
      name: "SQLite: duplicates renamed by an UPDATE first (spacedrive's 20240517045456_change_indexer_rule_name_to_unique)",
      sql: `-- Update duplicate names to make them unique\nUPDATE "User"\nSET "name" = "name" || '_' || "id"\nWHERE "name" IN (SELECT "name" FROM "User" GROUP BY "name" HAVING COUNT(*) > 1);\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_name_key" ON "User"("name");`,
    }),
    onSqlite({ name: "SQLite: a table created in the migration holds no rows", sql: 'CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL);\nCREATE UNIQUE INDEX "Tag_label_key" ON "Tag"("label");' }),
  ],
  invalid: [
    onSqlite({
      name: "SQLite: Prisma's CREATE UNIQUE INDEX on an existing table, after another statement that stays committed",
      sql: '-- AlterTable\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_name_key" ON "User"("name");',
      errors: [{ messageId: "duplicates", line: 5, message: 'Builds the unique index "User_name_key" on "User", which already holds rows: the migration fails if existing rows hold duplicate values of ("name"), and the statements before it in the file stay committed.' }],
    }),
    onSqlite({
      name: "SQLite with a transactional runner (D1): the file rolls back as a whole, nothing stays committed",
      config: { runner: "d1" },
      sql: '-- AlterTable\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_name_key" ON "User"("name");',
      errors: [{ messageId: "duplicates", line: 5, message: /holds rows: the migration fails if existing rows hold duplicate values of \("name"\)\.$/ }],
    }),
    {
      ...SQLITE,
      name: "SQLite: a rebuild that drops a column of the old key, then the narrower key (spacedrive's volume in 20230712050046_library_instance)",
      history: [volumes],
      sql: rebuildVolume(false, 'CREATE UNIQUE INDEX "volume_mount_point_name_key" ON "volume"("mount_point", "name");'),
      errors: [{ messageId: "duplicates", line: 7, message: 'duplicate values of ("mount_point", "name")' }],
    },
  ],
});
