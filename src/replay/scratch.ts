/**
 * The life of a scratch database on a real server (`--database-url`):
 *
 * - it is marked: `COMMENT ON DATABASE` with a JSON marker naming this tool,
 *   the host, the process id and the time it was created;
 * - it is dropped on every exit path Node lets code run on: the end of the
 *   run (`finally`), SIGINT / SIGTERM / SIGHUP (dropped, then the signal is
 *   re-raised), and the process's `exit` event, which also follows
 *   `process.exit()`, an uncaught exception and an unhandled rejection (the
 *   event allows only synchronous work, so a short-lived child process drops
 *   it while this one waits);
 * - what no code survives (SIGKILL, a power cut) is swept by the next run on
 *   the same server: a `migration_lint_<12 hex>` database whose marker says it
 *   is this tool's, from this host, from a process that no longer exists, and
 *   older than SWEEP_MARGIN_MS.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { pathToFileURL } from "node:url";
import type pg from "pg";
import { quoteIdent } from "./driver.js";

export const SCRATCH_NAME = /^migration_lint_[0-9a-f]{12}$/;
const TOOL = "migration-lint replay";
/** A stale scratch database must be at least this old: a process id is reused only after a while, and clocks drift. */
export const SWEEP_MARGIN_MS = 10 * 60 * 1000;

export interface ScratchMarker {
  tool: string;
  host: string;
  pid: number;
  created: string;
}

export function scratchMarker(now = new Date()): ScratchMarker {
  return { tool: TOOL, host: os.hostname(), pid: process.pid, created: now.toISOString() };
}

/** `COMMENT ON DATABASE` takes no parameters: the marker is a literal (standard_conforming_strings is set on first). */
export async function markScratch(client: pg.Client, name: string): Promise<void> {
  await client.query("SET standard_conforming_strings = on");
  const literal = `'${JSON.stringify(scratchMarker()).replace(/'/g, "''")}'`;
  await client.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${literal}`);
}

/** Whether `comment` marks a scratch database that a dead process of this tool on this host left behind long enough ago. */
export function isStale(comment: string | null, now = Date.now()): boolean {
  let marker: Partial<ScratchMarker>;
  try {
    marker = JSON.parse(comment ?? "") as Partial<ScratchMarker>;
  } catch {
    return false;
  }
  if (marker?.tool !== TOOL || marker.host !== os.hostname() || !Number.isInteger(marker.pid)) return false;
  const created = Date.parse(marker.created ?? "");
  if (!Number.isFinite(created) || now - created < SWEEP_MARGIN_MS) return false;
  return !processExists(marker.pid!);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops the stale scratch databases of this tool (see isStale); returns their names. Never throws. */
export async function sweepStaleScratch(client: pg.Client): Promise<string[]> {
  let rows: Array<{ datname: string; marker: string | null }>;
  try {
    ({ rows } = await client.query<{ datname: string; marker: string | null }>(
      String.raw`SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname LIKE 'migration\_lint\_%'`,
    ));
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const row of rows) {
    if (!SCRATCH_NAME.test(row.datname) || !isStale(row.marker)) continue;
    if (await dropScratch(client, row.datname)) swept.push(row.datname);
  }
  return swept;
}

/** `DROP DATABASE … WITH (FORCE)`, or before Postgres 13 terminate-then-drop. Never throws; true when it is gone. */
export async function dropScratch(client: pg.Client, name: string): Promise<boolean> {
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    return true;
  } catch {
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]).catch(() => undefined);
    return client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`).then(
      () => true,
      () => false,
    );
  }
}

/**
 * The same drop, synchronously, for the `exit` event: a child Node process
 * runs it while this one waits (at most 15 s). The connection string goes
 * through the environment, not the command line, which `ps` shows.
 */
export function dropScratchSync(connectionString: string, name: string): void {
  const script = `
    const pg = (await import(process.env.MIGRATION_LINT_PG_MODULE)).default;
    const client = new pg.Client({ connectionString: process.env.MIGRATION_LINT_ADMIN_URL });
    await client.connect();
    const name = process.env.MIGRATION_LINT_SCRATCH;
    const quoted = '"' + name.replace(/"/g, '""') + '"';
    try {
      await client.query("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
    } catch {
      await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]).catch(() => undefined);
      await client.query("DROP DATABASE IF EXISTS " + quoted).catch(() => undefined);
    }
    await client.end();
  `;
  const pgModule = pathToFileURL(createRequire(import.meta.url).resolve("pg")).href;
  spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, MIGRATION_LINT_PG_MODULE: pgModule, MIGRATION_LINT_ADMIN_URL: connectionString, MIGRATION_LINT_SCRATCH: name },
    stdio: "ignore",
    timeout: 15_000,
  });
}
