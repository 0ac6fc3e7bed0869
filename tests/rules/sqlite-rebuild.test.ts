import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/sqlite-rebuild.js";
import { rebuildUser, SQLITE, tagsAndRebuild, usersPostsSessions } from "./sqlite-fixtures.js";

const dropLine = (sql: string, table: string) => sql.split("\n").findIndex((l) => l.startsWith(`DROP TABLE "${table}"`)) + 1;

new RuleTester().run(rule, {
  valid: [
    { name: "a rebuild of a table created in the same migration copies nothing that serves traffic", sql: `${usersPostsSessions}\n${rebuildUser}`, ...SQLITE },
    { name: "ALTER TABLE ADD COLUMN needs no rebuild", sql: 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;', history: [usersPostsSessions], ...SQLITE },
  ],
  invalid: [
    {
      name: "Prisma's rebuild of an existing table (a column made required with a default)",
      sql: rebuildUser,
      history: [usersPostsSessions],
      ...SQLITE,
      errors: [{ messageId: "rebuild", line: dropLine(rebuildUser, "User"), message: 'Rebuilds "User": SQLite cannot make this change with ALTER TABLE, so the migration copies every row into "new_User" (the INSERT on line 9)' }],
    },
    {
      name: "the copy leaves a column behind and cannot fill a new required one",
      sql: tagsAndRebuild.sql,
      history: [tagsAndRebuild.history],
      ...SQLITE,
      errors: [{ messageId: "rebuild", line: dropLine(tagsAndRebuild.sql, "Tag"), message: /The copy leaves out "draft": its data is lost\. "slug" is NOT NULL without a default and not filled by the copy/ }],
    },
    {
      name: "hand-written rebuild that copies a column under a new name",
      sql: 'CREATE TABLE "new_Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL, "draft" BOOLEAN NOT NULL DEFAULT false);\nINSERT INTO "new_Tag" ("id", "title", "draft") SELECT "id", "label", "draft" FROM "Tag";\nDROP TABLE "Tag";\nALTER TABLE "new_Tag" RENAME TO "Tag";',
      history: [tagsAndRebuild.history],
      ...SQLITE,
      errors: [{ messageId: "rebuild", line: 3, message: 'It copies "label" into "title"' }],
    },
  ],
});
