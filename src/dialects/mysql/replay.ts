/**
 * MySQL replay on a real server: no embeddable MySQL exists, so replay creates a scratch database on the server
 * `--database-url mysql://...` names, or, without one, on a throwaway server it starts itself when `mariadbd` or
 * `mysqld` is installed (src/dialects/mysql/server.ts). The history is applied as Prisma does (one connection, no
 * transaction around the file, each statement committing on its own: docs/runner-model.md), through the shared
 * engine loop (src/replay/engine-replay.ts: replay-failed, down.sql round trips, schema drift), and the scratch
 * database is dropped on every exit path. Only what stays inside the scratch database runs: a statement that names
 * another database, or reaches the server itself (USE, CREATE/DROP DATABASE, users and grants, SET GLOBAL, SQL
 * built at run time by PREPARE/EXECUTE), is a finding and is not executed. mysql2 (MIT) is loaded only here.
 */
import { randomBytes } from "node:crypto";
import { MigrationLintError, errorMessage } from "../../errors.js";
import { replayOnEngine, type ReplayEngine } from "../../replay/engine-replay.js";
import { redactUrl, scrub } from "../../replay/target.js";
import type { ReplayOptions, ReplayReport } from "../../replay/types.js";
import type { Operation, Statement } from "../../types.js";
import { mysql as mysqlDialect } from "./index.js";
import { mysqlDriftTypes, mysqlSnapshot } from "./introspect.js";
import { splitMysqlStatements, tokenizeMysql } from "./lexer.js";
import { findServerBinary, startThrowawayServer, type ThrowawayServer } from "./server.js";

/** Statements that act on the server rather than on tables (sqlparser-rs node types, and our fallback nodes). */
const SERVER_WIDE = new Set(["Use", "CreateDatabase", "CreateSchema", "Grant", "Revoke", "CreateUser", "DropUser", "AlterUser", "CreateRole", "DropRole", "SetGlobal", "Kill", "Flush", "Install", "Uninstall"]);
/** Dynamic SQL: what it runs is built at run time, so replay cannot tell that it stays inside the scratch database. */
const DYNAMIC = new Set(["Prepare", "Execute", "Deallocate"]);

/** Why a statement reaches beyond the scratch database, or null when it stays inside it. */
export function reachesBeyond(statement: Statement): string | null {
  if (!statement.nodeType) return "a statement replay cannot read"; // (the syntax tree itself is released once linted; its type and operations stay)
  if (DYNAMIC.has(statement.nodeType ?? "")) return "it runs SQL built at run time (PREPARE / EXECUTE), which replay cannot check";
  if (SERVER_WIDE.has(statement.nodeType ?? "")) return `${statement.nodeType} acts on the server, not on one database`;
  for (const op of statement.operations) {
    if (op.kind === "drop-database") return `DROP DATABASE \`${op.database}\``;
    if (op.kind === "other" && SERVER_WIDE.has(op.nodeType)) return `${op.nodeType} acts on the server, not on one database`;
    const qualified = namesOf(op).find((n) => n.schema !== null);
    if (qualified) return `it names the database \`${qualified.schema}\``;
  }
  return null;
}

function namesOf(op: Operation): Array<{ schema: string | null }> {
  const out: Array<{ schema: string | null }> = [];
  if ("table" in op && op.table) out.push(op.table);
  if ("tables" in op) out.push(...op.tables);
  if ("index" in op) out.push(op.index);
  if (op.kind === "add-constraint" && op.constraint.references) out.push(op.constraint.references.table);
  if (op.kind === "create-table") for (const c of op.constraints) if (c.references) out.push(c.references.table);
  return out;
}

interface Connection {
  query(sql: string, params?: unknown[]): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}

/** Where replay connects: the server of --database-url, or the socket of its own throwaway server. */
type ConnectTo = { uri: string } | { socketPath: string; user: string };

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const url = options.databaseUrl;
  if (url && !/^(mysql|mariadb):\/\//i.test(url)) throw new MigrationLintError("usage", `--database-url for a MySQL project must be a mysql:// URL, not ${redactUrl(url)}.`);
  if (url && options.driftOnly) throw new MigrationLintError("usage", "--drift-only with --database-url compares a live database, which is built for PostgreSQL only: on MySQL, --drift-only replays the history on a scratch database and compares that with schema.prisma (leave --database-url out to use a throwaway server, or drop --drift-only).");
  let server: ThrowawayServer | null = null;
  let target: ConnectTo;
  if (url) {
    target = { uri: url.replace(/^mariadb:/i, "mysql:") };
  } else {
    const binary = findServerBinary();
    if (!binary) {
      throw new MigrationLintError(
        "usage",
        "MySQL has no embeddable server: --replay needs --database-url mysql://user:password@host:port/ of a server where it may create and drop a scratch database, or a MariaDB / MySQL server installed (mariadbd or mysqld on the PATH, e.g. `apt-get install mariadb-server`: replay then starts a throwaway one itself).",
      );
    }
    server = await startThrowawayServer(binary);
    target = { socketPath: server.socketPath, user: "root" };
  }
  try {
    return await replayOn(options, target, server);
  } finally {
    await server?.stop();
  }
}

async function replayOn(options: ReplayOptions, target: ConnectTo, server: ThrowawayServer | null): Promise<ReplayReport> {
  const url = options.databaseUrl;
  const clean = (text: string) => scrub(text, url);
  const where = url ? redactUrl(url) : server!.description;
  const mysql = await import("mysql2/promise");
  const connect = async (database?: string): Promise<Connection> => {
    try {
      return (await mysql.createConnection({ ...target, ...(database ? { database } : {}), multipleStatements: false })) as unknown as Connection;
    } catch (err) {
      throw new MigrationLintError("usage", `Cannot connect to ${where}: ${clean(errorMessage(err))}`);
    }
  };
  const scratch = `migration_lint_${randomBytes(6).toString("hex")}`;
  const admin = await connect();
  try {
    const version = String(((await admin.query("SELECT VERSION() AS v"))[0] as Array<{ v: string }>)[0]?.v ?? "") || "MySQL";
    const mariadb = /mariadb/i.test(version);
    await admin.query(`CREATE DATABASE \`${scratch}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const db = await connect(scratch);
    const rows = async (sql: string, params: unknown[]) => (await db.query(sql, params))[0] as Array<Record<string, unknown>>;
    const runStatement = async (sql: string) => {
      await db.query(sql);
    };
    const engine: ReplayEngine = {
      name: version,
      description: `${where} (scratch database ${scratch}, ${version}, statement by statement as Prisma runs it)`,
      provider: "mysql",
      failureConsequence:
        "`prisma migrate deploy` stops here with the statements before it already committed (every DDL statement commits on its own), so the database is half migrated and the retry starts from the top.",
      parse: (path, text) => mysqlDialect.parseFile(path, text),
      refuse: reachesBeyond,
      async runFile(statements) {
        for (const statement of statements) {
          try {
            await runStatement(statement.text);
          } catch (err) {
            return { statement, message: clean(errorMessage(err)) };
          }
        }
        return null;
      },
      async runSeed(sql) {
        // statement by statement, as the migrations (the connection takes one statement a query)
        const tokens = tokenizeMysql(sql);
        try {
          for (const span of splitMysqlStatements(tokens)) await runStatement(sql.slice(tokens[span.from]!.start, tokens[span.to - 1]!.end));
        } catch (err) {
          throw new Error(clean(errorMessage(err)));
        }
      },
      snapshot: () => mysqlSnapshot(rows, scratch, mariadb),
      // DDL commits on its own: after a down.sql the loop empties the database and applies the history again
      checkpoint: async () => null,
      async reset() {
        await admin.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
        await admin.query(`CREATE DATABASE \`${scratch}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        await db.query(`USE \`${scratch}\``);
      },
      driftTypes: mysqlDriftTypes,
      scrub: clean,
    };
    try {
      return await replayOnEngine(options, engine);
    } finally {
      await db.end().catch(() => undefined);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${scratch}\``).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}
