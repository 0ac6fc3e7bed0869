/**
 * PostgreSQL: libpg-query (Postgres's own parser, WASM) with our lexer for
 * exact ranges and comments, the operation builder over its parse trees, the
 * table-lock model of Postgres's "Explicit Locking" docs, Prisma's runner
 * model per version, and replay on PGlite or a real server.
 */
import type { Dialect } from "../dialect.js";
import { DIALECT_CAPABILITIES, DIALECT_NAMES } from "../capabilities.js";
import { transactionIds } from "../../model/queries.js";
import { buildOperations } from "./build.js";
import { locksOf } from "./locks.js";
import { liteSqlFile, parseSqlFile, releaseSyntaxTrees } from "./parse.js";
import { resolveRunner } from "./runner.js";


export const postgres: Dialect = {
  id: "postgresql",
  displayName: DIALECT_NAMES.postgresql,
  capabilities: DIALECT_CAPABILITIES.postgresql,
  // NAMEDATALEN - 1
  identifiers: { limit: { max: 63, unit: "bytes", over: "truncated" }, defaultSchema: "public", quote: '"' },
  async parseFile(path, text) {
    const file = await parseSqlFile(path, text);
    buildOperations(file);
    return file;
  },
  liteFile: liteSqlFile,
  releaseSyntaxTrees,
  locks: (op, options) => locksOf(op, options),
  runner: resolveRunner,
  transactionIds,
  backup: { tool: "pg_dump", table: "pg_dump -t" },
  transactionControl: {
    nestedBegin: 'is ignored by Postgres ("there is already a transaction in progress"): the first COMMIT ends both, and the statements after it run outside any block',
    strayEnd: 'is a no-op that only warns ("there is no transaction in progress"), so the statements before it were never in a transaction',
  },
  backfill: {
    holds: "every row it changes stays locked until the migration commits, so app writes to those rows wait (and may time out), and on a large table it runs for minutes, bloats the table and its WAL, and cannot be resumed if it fails",
    batch: (action, table, key) => {
      const where = "<rows not yet done>";
      if (action === "update") return `UPDATE ${table} SET <assignments> WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT 1000)`;
      if (action === "delete") return `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT 1000)`;
      return `INSERT INTO ${table} (<columns>) SELECT <values> FROM <source> WHERE ${where} ORDER BY ${key} LIMIT 1000 ON CONFLICT DO NOTHING`;
    },
  },
  loadReplay: () => import("../../replay/index.js"),
};
