/**
 * SQLite: statements cut by our tokenizer and parsed by sqlparser-rs (WASM,
 * loaded on first use), PRAGMA by SQLite's own grammar; Prisma's table
 * rebuild read as one operation; no table locks (one database-wide write
 * lock, held by every writing statement); the runner model of
 * `prisma migrate deploy` (statement by statement) or of a transactional
 * runner (the `runner` config key).
 */
import type { Dialect } from "../dialect.js";
import { DIALECT_CAPABILITIES, DIALECT_NAMES } from "../capabilities.js";
import type { ParsedSqlFile } from "../../types.js";
import { SourceText } from "../../parse/source-text.js";
import { transactionIds } from "../../model/queries.js";
import { buildSqliteOperations, recogniseRebuilds } from "./build.js";
import { parseSqliteFile } from "./parse.js";
import { sqliteRunner } from "./runner.js";
import { sqliteTypeChange } from "./types.js";

export const sqlite: Dialect = {
  id: "sqlite",
  displayName: DIALECT_NAMES.sqlite,
  capabilities: DIALECT_CAPABILITIES.sqlite,
  identifiers: { limit: null, defaultSchema: null, quote: "\"" },
  async parseFile(path, text) {
    const file = await parseSqliteFile(path, text);
    buildSqliteOperations(file);
    return file;
  },
  liteFile(path, raw): ParsedSqlFile {
    const source = new SourceText(raw);
    return { path, text: source.text, statements: [], comments: [], parseErrors: [], rangeOf: (start, end) => source.rangeOf(start, end) };
  },
  releaseSyntaxTrees(file) {
    for (const statement of file.statements) {
      statement.node = null;
      for (const op of statement.operations) (op as { node: unknown }).node = null;
    }
  },
  withHistory(file, catalog) {
    recogniseRebuilds(file, (table) => catalog.getTable(table)?.columns);
  },
  locks: () => [],
  runner: sqliteRunner,
  transactionIds,
  typeChange: sqliteTypeChange,
  // measured on sql.js (SQLite 3.54): both are errors, so the migration stops there
  backup: { tool: "a copy of the database file", table: 'sqlite3 <file> ".dump <table>"' },
  transactionControl: {
    nestedBegin: 'fails: SQLite refuses it ("cannot start a transaction within a transaction"), so the migration stops here',
    strayEnd: 'fails: SQLite refuses it ("cannot commit - no transaction is active", "cannot rollback - no transaction is active"), so the migration stops here with the statements before it committed',
  },
  loadReplay: () => import("./replay.js"),
};
