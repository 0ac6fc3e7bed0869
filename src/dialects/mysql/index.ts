/**
 * MySQL (Prisma's `mysql` provider, MySQL 5.7/8 and MariaDB): our lexer for
 * statements, ranges and comments, sqlparser-rs (loaded on first use) for each
 * statement, the operation builder over its AST, and Prisma's runner model
 * (one multi-statement query; every DDL commits on its own). MySQL has no
 * transactional DDL and no Postgres lock modes: rules that need them stay quiet.
 */
import type { Dialect } from "../dialect.js";
import { DIALECT_CAPABILITIES, DIALECT_NAMES } from "../capabilities.js";
import { transactionIds } from "../../model/queries.js";
import { buildMysqlOperations } from "./build.js";
import { liteMysqlFile, parseMysqlFile, releaseMysqlTrees } from "./parse.js";
import { mysqlRunner } from "./runner.js";
import { mysqlTypeChange } from "./types.js";

export const mysql: Dialect = {
  id: "mysql",
  displayName: DIALECT_NAMES.mysql,
  capabilities: DIALECT_CAPABILITIES.mysql,
  // measured on MariaDB 10.11: 64 characters (64 two-byte "é" pass), a 65th is an error
  identifiers: {
    limit: { max: 64, unit: "characters", over: "rejected", error: "error 1059, Identifier name ... is too long; MariaDB says error 1103, Incorrect table name, for a table" },
    defaultSchema: null,
    quote: "`",
  },
  async parseFile(path, text) {
    const file = await parseMysqlFile(path, text);
    buildMysqlOperations(file);
    return file;
  },
  liteFile: liteMysqlFile,
  releaseSyntaxTrees: releaseMysqlTrees,
  locks: () => [],
  runner: mysqlRunner,
  transactionIds,
  typeChange: mysqlTypeChange,
  // measured on MariaDB 10.11: a stray COMMIT / ROLLBACK passes in silence; BEGIN commits the open transaction first
  backup: { tool: "mysqldump", table: "mysqldump <database> <table>" },
  transactionControl: {
    nestedBegin: "commits that transaction first (MySQL ends an open transaction at BEGIN): what the block did so far is committed here, and its ROLLBACK can no longer undo it",
    strayEnd: "is a silent no-op (every statement before it was committed on its own), so the statements before it were never in a transaction",
  },
  backfill: {
    // InnoDB's locking reads (REPEATABLE READ, the default) lock every index record the statement scans; a lock wait ends
    // after innodb_lock_wait_timeout (50 s) with error 1205; the binary log ships the transaction when it commits
    holds: "InnoDB locks every row it changes, and under REPEATABLE READ (the default) every index range it scans, until the statement commits, so app writes to them wait up to innodb_lock_wait_timeout (50 s) and then fail (error 1205, Lock wait timeout exceeded); on a large table it runs for minutes as one transaction, replicas fall behind by as long as it runs, and a failure or a KILL rolls it back for as long again",
    // MySQL has no LIMIT in an IN subquery (error 1235); UPDATE and DELETE of one table take ORDER BY ... LIMIT (MariaDB 10.11: measured)
    batch: (action, table, key) => {
      const where = "<rows not yet done>";
      if (action === "update") return `UPDATE ${table} SET <assignments> WHERE ${where} ORDER BY ${key} LIMIT 1000`;
      if (action === "delete") return `DELETE FROM ${table} WHERE ${where} ORDER BY ${key} LIMIT 1000`;
      return `INSERT IGNORE INTO ${table} (<columns>) SELECT <values> FROM <source> WHERE ${where} ORDER BY ${key} LIMIT 1000`;
    },
  },
  loadReplay: () => import("./replay.js"),
};
