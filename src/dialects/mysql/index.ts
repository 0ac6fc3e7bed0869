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
  loadReplay: () => import("./replay.js"),
};
