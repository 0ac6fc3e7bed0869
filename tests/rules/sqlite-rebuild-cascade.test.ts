import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/sqlite-rebuild-cascade.js";
import { rebuildUser, SQLITE, tagsAndRebuild, usersPostsSessions } from "./sqlite-fixtures.js";

const history = [usersPostsSessions];
const rebuildLine = rebuildUser.split("\n").findIndex((l) => l.startsWith('DROP TABLE "User"')) + 1;

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's rebuild under prisma migrate deploy: statement by statement, PRAGMA foreign_keys=OFF takes effect", sql: rebuildUser, history, ...SQLITE },
    { name: "a rebuilt table nothing references, even under D1", sql: tagsAndRebuild.sql, history: [tagsAndRebuild.history], ...SQLITE, config: { runner: "d1" } },
    { name: "the same rebuild read as PostgreSQL: the rule is SQLite's only", sql: 'DROP TABLE "User";', history: ['CREATE TABLE "User" ("id" int PRIMARY KEY);\nCREATE TABLE "Post" ("id" int, "authorId" int REFERENCES "User" ON DELETE CASCADE);'] },
    {
      name: "references with ON DELETE RESTRICT are not touched by the implicit DELETE's actions (the DROP would fail instead)",
      sql: rebuildUser,
      history: ['CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "name" TEXT);\nCREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE);'],
      ...SQLITE,
      config: { runner: "d1" },
    },
  ],
  invalid: [
    {
      name: "Cloudflare D1 applies the file in one transaction: the rebuild deletes every Post and nulls every Session.userId",
      sql: rebuildUser,
      history,
      ...SQLITE,
      config: { runner: "d1" },
      errors: [{ messageId: "cascade", line: rebuildLine, message: 'This rebuild drops "User" while "Post", "Session" reference it with ON DELETE CASCADE / SET NULL, and the project\'s runner (runner: d1) applies the file in one transaction' }],
    },
    {
      name: "hand-written BEGIN ... COMMIT around Prisma's rebuild",
      sql: `BEGIN;\n${rebuildUser}COMMIT;\n`,
      history,
      ...SQLITE,
      errors: [{ messageId: "cascade", line: rebuildLine + 1, message: "inside BEGIN ... COMMIT" }],
    },
    {
      name: "hand-written rebuild without PRAGMA foreign_keys=OFF: Prisma's connection enforces foreign keys",
      sql: `CREATE TABLE "new_User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);\nINSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\n`,
      history,
      ...SQLITE,
      errors: [{ messageId: "cascade", line: 3, message: "no PRAGMA foreign_keys=OFF comes before it" }],
    },
  ],
});
