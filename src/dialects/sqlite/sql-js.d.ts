/** The part of sql.js (no bundled types) that SQLite replay uses. */
declare module "sql.js" {
  interface Database {
    exec(sql: string): unknown;
    close(): void;
  }
  export default function initSqlJs(): Promise<{ Database: new () => Database }>;
}
