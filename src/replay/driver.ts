/**
 * The two databases replay runs on, behind one small interface:
 * - PGlite (Postgres compiled to WASM, in-process): the default, one instance per run;
 * - a real Postgres through `pg` (`--database-url`).
 *
 * `exec` sends a whole script as ONE simple-query message, the way
 * `prisma migrate deploy` sends a migration.sql (docs/runner-model.md): Postgres
 * runs such a message as one implicit transaction. `query` runs one statement
 * with parameters (extended protocol) and returns its rows.
 */
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

export interface ReplayDb {
  readonly kind: "pglite" | "postgres";
  /** Runs a script as one simple-query message (one implicit transaction). Rejects with the database error. */
  exec(script: string): Promise<void>;
  /** Runs one statement (extended protocol: never more than one), with parameters when given, and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** What Postgres says about an error (ErrorResponse fields). */
export interface DbError {
  message: string;
  /** SQLSTATE, e.g. `42P01`. */
  code: string | null;
  /** 1-based character offset into the query text the error is about. */
  position: number | null;
  detail: string | null;
  hint: string | null;
  /** Context, e.g. the PL/pgSQL line of a `DO` block. */
  where: string | null;
}

/** The database error inside `err`, or null when `err` is not one (a closed connection, a bug). */
export function dbError(err: unknown): DbError | null {
  if (!err || typeof err !== "object") return null;
  const e = err as Record<string, unknown>;
  const code = typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : null;
  if (!code && typeof e.severity !== "string") return null;
  const position = typeof e.position === "string" || typeof e.position === "number" ? Number(e.position) : NaN;
  const text = (key: string) => (typeof e[key] === "string" && e[key] !== "" ? (e[key] as string) : null);
  return {
    message: typeof e.message === "string" ? e.message : String(err),
    code,
    position: Number.isFinite(position) && position > 0 ? position : null,
    detail: text("detail"),
    hint: text("hint"),
    where: text("where"),
  };
}

export function pgliteDb(db: PGlite): ReplayDb {
  return {
    kind: "pglite",
    async exec(script) {
      await db.exec(script);
    },
    async query<T>(sql: string, params?: unknown[]) {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}

export function pgDb(client: pg.Client): ReplayDb {
  let closed = false;
  return {
    kind: "postgres",
    async exec(script) {
      // No parameters: node-postgres sends a simple Query message, like Prisma's simple_query.
      await client.query(script);
    },
    async query<T>(sql: string, params?: unknown[]) {
      // extended protocol even without parameters: node-postgres would otherwise send a simple Query, which runs any number of statements
      // (`queryMode` is in node-postgres since 8.12, not in @types/pg)
      const config: pg.QueryConfig & { queryMode: "extended" } = { text: sql, values: params ?? [], queryMode: "extended" };
      const result = await client.query(config);
      return result.rows as T[];
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    },
  };
}

/** Quotes an identifier for Postgres (always `"`, whatever dialect's rules ran last). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

