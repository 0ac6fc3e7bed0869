/**
 * sqlparser-rs (`@guanmingchiu/sqlparser-ts`, Apache-2.0, the Rust parser in
 * WASM) for the dialects that use it, loaded on first use only: importing a
 * dialect costs nothing, and a PostgreSQL run never loads it (checked by the
 * lazy-load test in tests/cli/cli.test.ts). The CLI bundle keeps it external
 * (scripts/bundle.mjs), so its WASM file is read from node_modules.
 */

/** The sqlparser-rs dialect names this project parses with. */
export type SqlparserDialect = "mysql" | "sqlite";

export interface Sqlparser {
  /** The statements of `sql` as sqlparser-rs's JSON AST (one object per statement, keyed by its kind); throws a `ParserError` on bad SQL. */
  parse(sql: string, dialect: SqlparserDialect): Array<Record<string, unknown>>;
}

let loading: Promise<Sqlparser> | undefined;

/** Imports the package and instantiates its WASM module once per process. */
export function loadSqlparser(): Promise<Sqlparser> {
  loading ??= (async () => {
    const mod = await import("@guanmingchiu/sqlparser-ts");
    await mod.init();
    return { parse: (sql, dialect) => mod.parse(sql, dialect) as unknown as Array<Record<string, unknown>> };
  })();
  return loading;
}

/** The message of a sqlparser-rs error without its prefix, and the 1-based line and column it names, if any. */
export function sqlparserError(error: unknown): { message: string; line: number | null; column: number | null } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^sql parser error:\s*/i, "");
  const at = /at Line: (\d+), Column: (\d+)/.exec(message);
  return { message: message.replace(/\s*at Line: \d+, Column: \d+\s*$/, ""), line: at ? Number(at[1]) : null, column: at ? Number(at[2]) : null };
}
