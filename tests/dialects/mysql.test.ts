import { describe, expect, it } from "vitest";
import { loadDialect, dialectIdOf } from "../../src/dialects/index.js";
import { tokenizeMysql, splitMysqlStatements } from "../../src/dialects/mysql/lexer.js";
import { mysqlTypeChange } from "../../src/dialects/mysql/types.js";
import type { Operation, TypeSpec } from "../../src/types.js";

const parse = async (sql: string) => (await loadDialect("mysql")).parseFile("/m/migration.sql", sql);
const kinds = (ops: Operation[]) => ops.map((o) => o.kind);

// as Prisma 5/6 writes a MySQL migration (prisma-engines' MySQL renderer)
const PRISMA_INIT = `-- CreateTable
CREATE TABLE \`User\` (
    \`id\` INTEGER NOT NULL AUTO_INCREMENT,
    \`email\` VARCHAR(191) NOT NULL,
    \`role\` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
    \`createdAt\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX \`User_email_key\`(\`email\`),
    INDEX \`User_createdAt_idx\`(\`createdAt\`),
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE \`Post\` ADD CONSTRAINT \`Post_authorId_fkey\` FOREIGN KEY (\`authorId\`) REFERENCES \`User\`(\`id\`) ON DELETE SET NULL ON UPDATE CASCADE;
`;

describe("MySQL dialect", () => {
  it("is chosen by Prisma's mysql provider, and has no transactional DDL or Postgres lock model", async () => {
    expect(dialectIdOf("mysql")).toBe("mysql");
    const mysql = await loadDialect("mysql");
    expect(mysql.identifiers).toMatchObject({ limit: { max: 64, unit: "characters", over: "rejected" }, defaultSchema: null, quote: "`" });
    for (const c of ["transactional-ddl", "table-locks", "concurrent-index", "lock-timeout", "identifier-truncation"] as const) expect(mysql.capabilities.has(c)).toBe(false);
    expect(mysql.runner({ detected: { version: "6.2.0", source: "package.json" }, prismaConfigText: null }).model).toBe("per-statement");
  });

  it("splits as the server does: backquoted names, strings with backslash escapes, # and -- comments", () => {
    const text = "SELECT 'a;\\'b', `x;y` FROM t; # c;\n-- d;\nSELECT \"e;\"; --not-a-comment;\nSELECT 1";
    const tokens = tokenizeMysql(text);
    const statements = splitMysqlStatements(tokens).map((s) => text.slice(tokens[s.from]!.start, tokens[s.to - 1]!.end));
    expect(statements).toEqual(["SELECT 'a;\\'b', `x;y` FROM t", 'SELECT "e;"', "--not-a-comment", "SELECT 1"]);
  });

  it("parses Prisma's CREATE TABLE into a table, its key and indexes, with exact ranges and comments", async () => {
    const file = await parse(PRISMA_INIT);
    expect(file.parseErrors).toEqual([]);
    const [create, fk] = file.statements;
    expect(create!.leadingComments.map((c) => c.text)).toEqual([" CreateTable"]);
    expect(create!.range.loc.start).toEqual({ line: 2, column: 1 });
    expect(kinds(create!.operations)).toEqual(["create-table", "create-index", "create-index"]);
    const table = create!.operations[0] as Extract<Operation, { kind: "create-table" }>;
    expect(table.columns.map((c) => [c.name, c.type?.text, c.notNull, c.default?.text ?? null, c.identity])).toEqual([
      ["id", "int", true, null, true],
      ["email", "varchar(191)", true, null, false],
      ["role", "enum('USER','ADMIN')", true, "'USER'", false],
      ["createdAt", "datetime(3)", true, "CURRENT_TIMESTAMP(3)", false],
    ]);
    expect(table.constraints.map((c) => [c.kind, c.columns])).toEqual([["primary-key", ["id"]]]);
    const unique = create!.operations[1] as Extract<Operation, { kind: "create-index" }>;
    expect([unique.name, unique.unique, unique.columns]).toEqual(["User_email_key", true, ["email"]]);
    expect(file.text.slice(unique.range.start, unique.range.end)).toBe("UNIQUE INDEX `User_email_key`(`email`)");
    const addFk = fk!.operations[0] as Extract<Operation, { kind: "add-constraint" }>;
    expect(addFk.constraint).toMatchObject({ kind: "foreign-key", name: "Post_authorId_fkey", columns: ["authorId"], references: { table: { name: "User" }, columns: ["id"], onDelete: "SET NULL", onUpdate: "CASCADE" } });
  });

  it("gives each clause of a multi-clause ALTER TABLE its range, and reads MODIFY as the column's new type, nullability and default", async () => {
    const sql = "ALTER TABLE `Chat` MODIFY `createdAt` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,\n    MODIFY `status` VARCHAR(30) NULL,\n    DROP COLUMN `old`;";
    const file = await parse(sql);
    const ops = file.statements[0]!.operations;
    expect(ops.map((o) => [o.kind, o.kind === "alter-column" ? o.change.kind : "", sql.slice(o.range.start, o.range.end)])).toEqual([
      ["alter-column", "set-type", "MODIFY `createdAt` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP"],
      ["alter-column", "drop-not-null", "MODIFY `createdAt` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP"],
      ["alter-column", "set-default", "MODIFY `createdAt` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP"],
      ["alter-column", "set-type", "MODIFY `status` VARCHAR(30) NULL"],
      ["alter-column", "drop-not-null", "MODIFY `status` VARCHAR(30) NULL"],
      ["alter-column", "drop-default", "MODIFY `status` VARCHAR(30) NULL"],
      ["drop-column", "", "DROP COLUMN `old`"],
    ]);
  });

  it("reads the statements sqlparser-rs 0.62 cannot, each by its exact form: RENAME INDEX, CREATE FULLTEXT INDEX, SET @v :=, PREPARE", async () => {
    const file = await parse(
      "ALTER TABLE `Chat` RENAME INDEX `Chat_instanceId_fkey` TO `Chat_instanceId_idx`;\nCREATE FULLTEXT INDEX `Post_title_idx` ON `Post`(`title`);\nSET @column_exists := (SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'Setting');\nSET @sql := IF(@column_exists = 0, 'ALTER TABLE Setting ADD COLUMN wavoipToken VARCHAR(100);', 'SELECT 1;');\nPREPARE stmt FROM @sql;\nEXECUTE stmt;\nDEALLOCATE PREPARE stmt;",
    );
    expect(file.parseErrors).toEqual([]);
    const ops = file.statements.flatMap((s) => s.operations);
    expect(ops[0]).toMatchObject({ kind: "rename-index", index: { name: "Chat_instanceId_fkey" }, newName: "Chat_instanceId_idx" });
    expect(ops[1]).toMatchObject({ kind: "create-index", name: "Post_title_idx", method: "fulltext", columns: ["title"], table: { name: "Post" } });
    expect(ops.slice(2).map((o) => (o.kind === "other" ? o.nodeType : o.kind))).toEqual(["SetUserVariable", "SetUserVariable", "Prepare", "Execute", "Deallocate"]);
  });

  it("a statement it cannot read is a parse error at its own line; the rest of the file goes on", async () => {
    const file = await parse("ALTER TABLE `A` RENAME INDEX `a` TO `b`, ADD COLUMN `c` INT;\nALTER TABLE `A` BOGUS;\nDROP TABLE `B`;");
    expect(file.parseErrors.map((e) => e.range.loc.start.line)).toEqual([1, 2]);
    expect(kinds(file.statements[2]!.operations)).toEqual(["drop-table"]);
  });

  it("reads session settings, but not user variables or GLOBAL ones, as SET", async () => {
    const file = await parse("SET SESSION lock_wait_timeout = 5;\nSET lock_wait_timeout = 10;\nSET @x = 1;");
    expect(file.statements.map((s) => s.operations[0]).map((o) => (o!.kind === "set" ? `${o!.name}=${o!.value}` : o!.kind))).toEqual(["lock_wait_timeout=5", "lock_wait_timeout=10", "other"]);
  });
});

describe("MySQL type changes (MODIFY)", () => {
  const t = (text: string): TypeSpec => {
    const m = /^(\w+)(?:\(([^)]*)\))?(.*)$/.exec(text)!;
    const mods = (m[2] ?? "").split(",").filter((x) => /^\d+$/.test(x.trim())).map(Number);
    return { name: m[1]!, schema: null, modifiers: mods, arrayDims: 0, text };
  };
  it.each([
    ["timestamp(0)", "timestamp", "same"],
    ["int", "int", "same"],
    ["int", "varchar(30)", "widening"],
    ["int", "varchar(5)", "narrowing"],
    ["varchar(191)", "varchar(50)", "narrowing"],
    ["varchar(191)", "text", "widening"],
    ["int", "bigint", "widening"],
    ["bigint", "int", "narrowing"],
    ["int", "int unsigned", "narrowing"],
    ["enum('A','B')", "enum('A','B','C')", "widening"],
    ["enum('A','B')", "enum('A','C')", "narrowing"],
    ["datetime(3)", "datetime(0)", "narrowing"],
    ["varchar(191)", "int", "narrowing"],
  ])("%s -> %s is %s", (from, to, kind) => {
    expect(mysqlTypeChange(t(from), t(to)).kind).toBe(kind);
  });
});
