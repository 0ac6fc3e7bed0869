/**
 * Where replay runs, and the safety rules around it:
 *
 * - PGlite (default): an in-memory Postgres in this process, gone when closed.
 * - `databaseUrl`: replay never touches an existing database. It connects,
 *   creates `migration_lint_<random>` (marked, and dropped on every exit path:
 *   scratch.ts), runs there, and drops it.
 * - `databaseUrl` + drift-only: one session whose transactions are all
 *   READ ONLY (checked), with standard_conforming_strings on; replay only
 *   reads the catalogs, and schema.prisma's values go as bind parameters.
 *
 * The URL's password never appears in a message or error: `redactUrl` and
 * `scrub` remove it (src/redact.ts, the one redaction of the whole tool).
 */
import { randomBytes } from "node:crypto";
import type { Extension } from "@electric-sql/pglite";
import type pg from "pg";
import { MigrationLintError, errorMessage } from "../errors.js";
import { redact, redactConnectionString, secretsOf } from "../redact.js";
import { pgDb, pgliteDb, quoteIdent, type ReplayDb } from "./driver.js";
import { dropScratch, dropScratchSync, markScratch, sweepStaleScratch } from "./scratch.js";

export interface ReplayTarget {
  db: ReplayDb;
  /** The schema unqualified names resolve to (Prisma's `?schema=`, else `public`). */
  defaultSchema: string;
  /** e.g. `PGlite (Postgres 17.x)` or `postgresql://user:***@host/db`. */
  description: string;
  /** Major Postgres version, e.g. 17. */
  serverVersion: number;
  /** On a real server: the scratch database replay created (statements reaching beyond it are not run, see sandbox.ts). */
  scratchDatabase?: string;
  /** Closes connections and drops the scratch database. Idempotent; never throws. */
  cleanup(): Promise<void>;
}

/** Query parameters of Prisma's connection strings that node-postgres must not see. */
const PRISMA_ONLY_PARAMS = ["schema", "connection_limit", "pool_timeout", "pgbouncer", "statement_cache_size", "socket_timeout", "connect_timeout", "sslaccept", "single_use_connections"];

/** A connection string as it may be shown (password replaced; one that is not a URL is not shown at all). */
export function redactUrl(url: string): string {
  return redactConnectionString(url);
}

/** Removes the connection string's password, in every spelling, from a text (error messages can quote it). */
export function scrub(text: string, url: string | undefined): string {
  return redact(text, secretsOf(url));
}

function connectionFor(url: string, database?: string): { connectionString: string; defaultSchema: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // never echoed, not even in part: which part is the password cannot be known
    throw new MigrationLintError("usage", `--database-url is not a URL (the value is not shown, as it may hold a password): give postgresql://user:password@host:port/database`);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new MigrationLintError("usage", `--database-url must be a postgresql:// URL, got a ${parsed.protocol.replace(/[^a-z0-9+.-]/gi, "").slice(0, 20)}: URL (not shown, as it may hold a password): give postgresql://user:password@host:port/database`);
  }
  const defaultSchema = parsed.searchParams.get("schema") || "public";
  for (const param of PRISMA_ONLY_PARAMS) parsed.searchParams.delete(param);
  if (database !== undefined) parsed.pathname = `/${encodeURIComponent(database)}`;
  return { connectionString: parsed.toString(), defaultSchema };
}

async function connect(connectionString: string, url: string): Promise<pg.Client> {
  const { default: pgModule } = await import("pg");
  const client = new pgModule.Client({ connectionString, application_name: "migration-lint replay" });
  // A dropped connection emits 'error' on the client; without a listener Node would crash.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new MigrationLintError("usage", `Cannot connect to ${redactUrl(url)}: ${scrub(errorMessage(err), url)}`);
  }
  return client;
}

async function serverVersionOf(db: ReplayDb): Promise<number> {
  const rows = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Math.floor(Number(rows[0]?.v ?? 0) / 10000);
}

export async function openPglite(extensions: Record<string, Extension>): Promise<ReplayTarget> {
  const { PGlite } = await import("@electric-sql/pglite");
  const instance = await PGlite.create({ extensions });
  const db = pgliteDb(instance);
  const version = await serverVersionOf(db);
  return { db, defaultSchema: "public", description: `PGlite (Postgres ${version})`, serverVersion: version, cleanup: () => db.close().catch(() => undefined) };
}

/**
 * Creates a scratch database next to the one `url` names, marks it, connects
 * to it, and arranges for it to be dropped on every exit path (scratch.ts).
 * First drops the stale scratch databases earlier runs on this host left.
 */
export async function openScratchDatabase(url: string): Promise<ReplayTarget> {
  const admin = connectionFor(url);
  const adminClient = await connect(admin.connectionString, url);
  await sweepStaleScratch(adminClient);
  const name = `migration_lint_${randomBytes(6).toString("hex")}`;
  try {
    await adminClient.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (err) {
    await adminClient.end().catch(() => undefined);
    throw new MigrationLintError("usage", `Cannot create a scratch database on ${redactUrl(url)} (replay never runs in an existing database): ${scrub(errorMessage(err), url)}`);
  }

  let db: ReplayDb | null = null;
  let cleaning: Promise<void> | null = null;
  let dropped = false;
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => {
      // Let the signal do what it would have done without us.
      process.kill(process.pid, signal);
    });
  };
  // process.exit(), an uncaught exception or unhandled rejection: only synchronous work runs now
  const onExit = () => {
    if (!dropped) dropScratchSync(admin.connectionString, name);
  };
  const removeHandlers = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
    process.removeListener("exit", onExit);
  };
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await db?.close().catch(() => undefined);
      dropped = await dropScratch(adminClient, name);
      removeHandlers();
      await adminClient.end().catch(() => undefined);
    })());
  for (const signal of signals) process.on(signal, onSignal);
  process.on("exit", onExit);

  try {
    await markScratch(adminClient, name);
    const scratch = connectionFor(url, name);
    db = pgDb(await connect(scratch.connectionString, url));
    const version = await serverVersionOf(db);
    return { db, defaultSchema: "public", description: `${redactUrl(scratch.connectionString)} (scratch database, Postgres ${version})`, serverVersion: version, scratchDatabase: name, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** A read-only session on the database `url` names (drift-only). */
export async function openReadOnly(url: string): Promise<ReplayTarget> {
  const target = connectionFor(url);
  const client = await connect(target.connectionString, url);
  const db = pgDb(client);
  try {
    // Values from schema.prisma go as bind parameters; with standard_conforming_strings forced on, a backslash in
    // any literal replay writes means what it says too.
    await db.exec("SET standard_conforming_strings = on");
    await db.exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    await db.exec("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // checked, not assumed: a pooler or a server that ignored either setting ends the run here
    const [state] = await db.query<{ readOnly: string; conforming: string }>(`SELECT current_setting('transaction_read_only') AS "readOnly", current_setting('standard_conforming_strings') AS conforming`);
    if (state?.readOnly !== "on" || state.conforming !== "on") {
      throw new Error(`the session reports transaction_read_only = ${state?.readOnly ?? "?"} and standard_conforming_strings = ${state?.conforming ?? "?"}, both must be on`);
    }
  } catch (err) {
    await db.close();
    throw new MigrationLintError("usage", `Cannot open a read-only transaction on ${redactUrl(url)}: ${scrub(errorMessage(err), url)}`);
  }
  const version = await serverVersionOf(db);
  return {
    db,
    defaultSchema: target.defaultSchema,
    description: `${redactUrl(url)} (read only, Postgres ${version})`,
    serverVersion: version,
    cleanup: async () => {
      await db.exec("ROLLBACK").catch(() => undefined);
      await db.close();
    },
  };
}
