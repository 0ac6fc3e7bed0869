import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/identifier-too-long.js";
import { onMysql } from "./mysql-fixtures.js";
import { SQLITE } from "./sqlite-fixtures.js";

const LONG_TABLE = "dataset_item_events"; // 19 bytes
const COLS = ["project_id", "dataset_id", "item_id", "created_at"];
const TABLE = `-- CreateTable
CREATE TABLE "${LONG_TABLE}" (
    "id" TEXT NOT NULL,
    ${COLS.map((c) => `"${c}" TEXT NOT NULL,`).join("\n    ")}
    "created_at_source_system_reported_timestamp_with_extra_detail_x" TEXT,
    CONSTRAINT "${LONG_TABLE}_pkey" PRIMARY KEY ("id")
);`;
const INDEX_64 = `${LONG_TABLE}_project_id_dataset_id_item_id_created_at_idx`; // 64 bytes
const INDEX_63 = INDEX_64.slice(0, 63);

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's names stay within 63 bytes", sql: `${TABLE}\n-- CreateIndex\nCREATE INDEX "${LONG_TABLE}_project_id_dataset_id_item_id_created_a_idx" ON "${LONG_TABLE}"("project_id", "dataset_id", "item_id", "created_at");` },
    { name: "exactly 63 bytes", history: [TABLE], sql: `CREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id");` },
    { name: "a long name in a reference is not a definition", history: [TABLE], sql: `ALTER TABLE "${LONG_TABLE}" DROP COLUMN "created_at_source_system_reported_timestamp_with_extra_detail_x";` },
    // MySQL: 64 characters, counted as characters (measured on MariaDB 10.11: 64 two-byte "é" are accepted)
    onMysql({ name: "MySQL: Prisma's 64-character index name", sql: `-- CreateIndex\nCREATE INDEX \`${INDEX_64}\` ON \`Post\`(\`title\`);` }),
    onMysql({ name: "MySQL: 64 two-byte characters are 64, not 128", sql: `CREATE TABLE \`${"é".repeat(64)}\` (\`id\` INTEGER NOT NULL);` }),
    // SQLite has no length limit (a 300-character table name is created: measured on sql.js, SQLite 3.54)
    { ...SQLITE, name: "SQLite: no limit", sql: `CREATE TABLE "${"a".repeat(300)}" ("id" INTEGER NOT NULL PRIMARY KEY);\nCREATE INDEX "${INDEX_64}_and_more" ON "${"a".repeat(300)}"("id");` },
    { name: "re-creating an index after dropping it", history: [TABLE, `CREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id");`], sql: `DROP INDEX "${INDEX_63}";\nCREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id", "dataset_id");` },
  ],
  invalid: [
    {
      name: "a 64-byte index name",
      history: [TABLE],
      sql: `-- CreateIndex\nCREATE INDEX "${INDEX_64}" ON "${LONG_TABLE}"("project_id", "dataset_id", "item_id", "created_at");`,
      errors: [{ messageId: "tooLong", line: 2, column: 14, message: `The index name "${INDEX_64}" is 64 bytes: Postgres keeps only the first 63 and silently names it "${INDEX_63}"` }],
    },
    {
      name: "multi-byte characters count as bytes",
      sql: `CREATE TABLE "${"é".repeat(32)}" ("id" INT);`,
      errors: [{ messageId: "tooLong", line: 1, column: 14, message: `is 64 bytes: Postgres keeps only the first 63 and silently names it "${"é".repeat(31)}"` }],
    },
    {
      name: "columns, constraints, types and renames",
      history: [TABLE],
      sql: [
        `ALTER TABLE "${LONG_TABLE}" ADD COLUMN "${"a".repeat(64)}" TEXT;`,
        `ALTER TABLE "${LONG_TABLE}" ADD CONSTRAINT "${"c".repeat(70)}" CHECK ("id" <> '');`,
        `CREATE TYPE "${"T".repeat(64)}" AS ENUM ('A');`,
        `ALTER TABLE "${LONG_TABLE}" RENAME COLUMN "item_id" TO "${"i".repeat(64)}";`,
      ].join("\n"),
      errors: [
        { messageId: "tooLong", line: 1, message: "The column name" },
        { messageId: "tooLong", line: 2, message: "The constraint name" },
        { messageId: "tooLong", line: 3, message: "The type name" },
        { messageId: "tooLong", line: 4, message: "The column name" },
      ],
    },
    {
      name: "two long index names that truncate to the same 63 bytes",
      history: [TABLE],
      sql: `CREATE INDEX "${INDEX_63}_a" ON "${LONG_TABLE}"("project_id");\nCREATE INDEX "${INDEX_63}_b" ON "${LONG_TABLE}"("dataset_id");`,
      errors: [
        { messageId: "tooLong", line: 1 },
        { messageId: "collision", line: 2, message: `The index name "${INDEX_63}_b" and "${INDEX_63}_a" are the same to Postgres after truncation` },
        { messageId: "tooLong", line: 2 },
      ],
    },
    {
      name: "a long name that truncates to an index of an earlier migration, with IF NOT EXISTS",
      history: [TABLE, `CREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id");`],
      sql: `CREATE INDEX IF NOT EXISTS "${INDEX_64}" ON "${LONG_TABLE}"("project_id", "dataset_id", "item_id", "created_at");`,
      errors: [
        { messageId: "collision", line: 1, message: "(defined by an earlier migration)" },
        { messageId: "tooLong", line: 1 },
      ],
    },
    onMysql({
      name: "MySQL: a 65-character index name is rejected, not truncated (no collision reported)",
      sql: `-- CreateIndex\nCREATE INDEX \`${INDEX_64}x\` ON \`Post\`(\`title\`);\nCREATE INDEX \`${INDEX_64}y\` ON \`Post\`(\`authorId\`);`,
      errors: [
        { messageId: "rejected", line: 2, column: 14, message: `The index name "${INDEX_64}x" is 65 characters: MySQL takes at most 64 and rejects the statement (error 1059, Identifier name ... is too long;` },
        { messageId: "rejected", line: 3, column: 14 },
      ],
    }),
    onMysql({
      name: "MySQL: hand-written table, column, constraint and rename",
      sql: [
        `CREATE TABLE \`${"t".repeat(65)}\` (\`id\` INTEGER NOT NULL, \`${"c".repeat(70)}\` INTEGER, CONSTRAINT \`${"k".repeat(65)}\` UNIQUE (\`id\`));`,
        `ALTER TABLE \`User\` ADD COLUMN \`${"é".repeat(65)}\` INTEGER;`,
        `ALTER TABLE \`Post\` ADD CONSTRAINT \`${"f".repeat(65)}\` FOREIGN KEY (\`authorId\`) REFERENCES \`User\`(\`id\`);`,
        `ALTER TABLE \`User\` RENAME COLUMN \`name\` TO \`${"n".repeat(65)}\`;`,
      ].join("\n"),
      errors: [
        { messageId: "rejected", line: 1, column: 14, message: "The table name" },
        { messageId: "rejected", line: 1, message: "The column name" },
        // a UNIQUE key is an index in MySQL (dropped with DROP INDEX)
        { messageId: "rejected", line: 1, message: "The index name" },
        { messageId: "rejected", line: 2, column: 31, message: "is 65 characters" },
        { messageId: "rejected", line: 3, message: "The constraint name" },
        { messageId: "rejected", line: 4, message: "The column name" },
      ],
    }),
    {
      name: "two long columns of one CREATE TABLE",
      sql: `CREATE TABLE "t" ("${"x".repeat(63)}_one" TEXT, "${"x".repeat(63)}_two" TEXT);`,
      errors: [{ messageId: "tooLong" }, { messageId: "collision", message: "The column name" }, { messageId: "tooLong" }],
    },
  ],
});
