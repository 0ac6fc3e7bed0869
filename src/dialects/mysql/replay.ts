/**
 * MySQL replay on a real server (`--replay --database-url mysql://...`): no embeddable MySQL exists, so
 * replay creates a scratch database there, applies the history as Prisma does (one connection, no
 * transaction around the file, each statement committing on its own: docs/runner-model.md), reports
 * `replay-failed` at the statement the server rejects, and drops the scratch database on every exit
 * path. Only what stays inside the scratch database runs: a statement that names another database, or
 * reaches the server itself (USE, CREATE/DROP DATABASE, users and grants, SET GLOBAL, SQL built at run
 * time by PREPARE/EXECUTE), is a finding and is not executed. mysql2 (MIT) is loaded only here.
 * Not yet: schema drift and down.sql round trips (docs/dialects.md).
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { LintMessage } from "../../engine/results.js";
import { MigrationLintError, errorMessage } from "../../errors.js";
import { rangePosition, replayMessage, LINE_ONE } from "../../replay/messages.js";
import { redactUrl, scrub } from "../../replay/target.js";
import type { ReplayOptions, ReplayReport } from "../../replay/types.js";
import type { Operation, Statement } from "../../types.js";
import { splitMysqlStatements, tokenizeMysql } from "./lexer.js";

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
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const url = options.databaseUrl;
  if (!url) throw new MigrationLintError("usage", "MySQL has no embeddable server: --replay needs --database-url mysql://user:password@host:port/ of a server where it may create and drop a scratch database (scripts/ci-mysql.sh starts a throwaway MariaDB).");
  if (!/^(mysql|mariadb):\/\//i.test(url)) throw new MigrationLintError("usage", `--database-url for a MySQL project must be a mysql:// URL, not ${redactUrl(url)}.`);
  if (options.driftOnly) throw new MigrationLintError("usage", "--drift-only is not built for MySQL yet: --replay applies the history on a scratch database and reports the statements the server rejects.");
  const started = performance.now();
  const messages = new Map<string, LintMessage[]>();
  const push = (file: string, message: LintMessage) => messages.set(file, [...(messages.get(file) ?? []), message]);
  const mysql = await import("mysql2/promise");
  const uri = url.replace(/^mariadb:/i, "mysql:");
  const connect = async (database?: string): Promise<Connection> => {
    try {
      return (await mysql.createConnection({ uri, ...(database ? { database } : {}), multipleStatements: false })) as unknown as Connection;
    } catch (err) {
      throw new MigrationLintError("usage", `Cannot connect to ${redactUrl(url)}: ${scrub(errorMessage(err), url)}`);
    }
  };
  const scratch = `migration_lint_${randomBytes(6).toString("hex")}`;
  const admin = await connect();
  let applied = 0;
  let version = "";
  try {
    version = String(((await admin.query("SELECT VERSION() AS v")) as [Array<{ v: string }>])[0][0]?.v ?? "");
    await admin.query(`CREATE DATABASE \`${scratch}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const db = await connect(scratch);
    try {
      let seeded = options.seedSql === undefined;
      for (const migration of options.migrations) {
        const file = migration.file;
        if (!file) break; // unreadable: Prisma stops there too (file-error reports it)
        const linted = options.inScope(migration);
        if (linted && !seeded) {
          seeded = true;
          try {
            // statement by statement, as the migrations (the connection takes one statement a query)
            const tokens = tokenizeMysql(options.seedSql!);
            for (const span of splitMysqlStatements(tokens)) await db.query(options.seedSql!.slice(tokens[span.from]!.start, tokens[span.to - 1]!.end));
          } catch (err) {
            push(file.path, replayMessage({ ruleId: "replay-failed", severity: 1, message: `The seed SQL does not apply on ${version}: ${scrub(errorMessage(err), url)}. Replay went on without the rest of it.`, position: LINE_ONE, key: [migration.entry.name, "replay-failed", "seed"], migration: migration.entry.name }));
          }
        }
        let failed = false;
        for (const statement of file.statements) {
          const beyond = reachesBeyond(statement);
          if (beyond) {
            if (linted) push(file.path, replayMessage({ ruleId: "replay-failed", severity: 1, message: `Not run on the real server: ${beyond}; replay runs only what stays inside its scratch database. Replay went on as if it had run.`, position: rangePosition(statement.range), key: [migration.entry.name, "replay-failed", "not-run", statement.text], migration: migration.entry.name }));
            continue;
          }
          try {
            await db.query(statement.text);
          } catch (err) {
            if (linted) {
              push(file.path, replayMessage({
                ruleId: "replay-failed",
                severity: 2,
                message: `${version || "MySQL"} rejects this statement: ${scrub(errorMessage(err), url)}. \`prisma migrate deploy\` stops here with the statements before it already committed (every DDL statement commits on its own), so the database is half migrated and the retry starts from the top.`,
                position: rangePosition(statement.range),
                key: [migration.entry.name, "replay-failed", errorMessage(err)],
                migration: migration.entry.name,
              }));
            }
            failed = true;
            break;
          }
        }
        if (failed) break; // later migrations depend on this one
        applied++;
      }
    } finally {
      await db.end().catch(() => undefined);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${scratch}\``).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
  return { messages, lockTrace: [], timings: { totalMs: performance.now() - started, migrations: applied, restored: 0 }, database: `${redactUrl(url)} (scratch database ${scratch}, ${version || "MySQL"}, statement by statement as Prisma runs it)` };
}
