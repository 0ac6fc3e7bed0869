/**
 * Replay snapshots (`--replay --cache` on PGlite): after a replay that applied
 * the whole history, PGlite's data directory is stored as a gzipped tarball
 * next to the cache file, named after the chain hash of the last migration
 * (which covers that migration and every earlier one). A second one is
 * stored just before the first in-scope migration, so that linting the same
 * migrations again restores it. The next run restores the snapshot of the
 * longest prefix of its history that is out of scope, and applies only the
 * migrations after it.
 *
 * Per cache file, only the snapshots the last run wrote or started from are kept. Nothing about snapshots can
 * fail a run: one that is missing, unreadable or does not load means a full
 * replay, and a failed write is ignored.
 */
import { readFileSync, readdirSync, unlinkSync } from "node:fs";
import { writeFileAtomically } from "../write-file.js";
import path from "node:path";
import type { Extension, PGlite } from "@electric-sql/pglite";
import { pgliteDb } from "./driver.js";
import type { ReplayTarget } from "./target.js";

import type { ReplaySnapshotOptions } from "./types.js";
export type { ReplaySnapshotOptions } from "./types.js";

const SUFFIX = ".tar.gz";

function prefix(base: string): string {
  return `${path.basename(base)}.replay-`;
}

export function snapshotFile(base: string, chain: string): string {
  return path.join(path.dirname(base), `${prefix(base)}${chain.slice(0, 16)}${SUFFIX}`);
}

/** The snapshot files that exist for this cache file, by their 16-hex key. */
function existing(base: string): Map<string, string> {
  const found = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(path.dirname(base));
  } catch {
    return found;
  }
  const start = prefix(base);
  for (const name of names) {
    if (!name.startsWith(start) || !name.endsWith(SUFFIX)) continue;
    found.set(name.slice(start.length, -SUFFIX.length), path.join(path.dirname(base), name));
  }
  return found;
}

/**
 * The largest k < `limit` with a stored snapshot for chains[k], or null.
 * `limit` is the first migration that must be applied in this run.
 */
export function findSnapshot(options: ReplaySnapshotOptions, limit: number): { index: number; file: string } | null {
  const files = existing(options.base);
  if (files.size === 0) return null;
  for (let k = Math.min(limit, options.chains.length) - 1; k >= 0; k--) {
    const file = files.get(options.chains[k]!.slice(0, 16));
    if (file) return { index: k, file };
  }
  return null;
}

export interface PgliteTarget extends ReplayTarget {
  instance: PGlite;
}

/** PGlite, optionally from a stored data directory. Throws when it does not load. */
export async function openPgliteInstance(extensions: Record<string, Extension>, dataDir?: string): Promise<PgliteTarget> {
  const { PGlite } = await import("@electric-sql/pglite");
  const loadDataDir = dataDir ? new Blob([readFileSync(dataDir)]) : undefined;
  const instance = await PGlite.create({ extensions, ...(loadDataDir ? { loadDataDir } : {}) });
  const db = pgliteDb(instance);
  try {
    const rows = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    const version = Math.floor(Number(rows[0]?.v ?? 0) / 10000);
    return { instance, db, defaultSchema: "public", description: `PGlite (Postgres ${version})`, serverVersion: version, cleanup: () => db.close().catch(() => undefined) };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/** Stores the data directory as the snapshot for `chain` (unless there is one). Returns its file, or null. Never throws. */
export async function writeSnapshot(instance: PGlite, base: string, chain: string): Promise<string | null> {
  const file = snapshotFile(base, chain);
  if (existing(base).get(chain.slice(0, 16)) === file) return file;
  try {
    // the snapshot is written during the run, before the cache file: its folder may not exist yet
    writeFileAtomically(file, new Uint8Array(await (await instance.dumpDataDir("gzip")).arrayBuffer()), "the replay snapshot");
  } catch {
    return null;
  }
  return file;
}

/** Removes the snapshots of this cache file but `keep`. Never throws. */
export function pruneSnapshots(base: string, keep: Set<string>): void {
  for (const [, other] of existing(base)) {
    if (keep.has(other)) continue;
    try {
      unlinkSync(other);
    } catch {
      // already gone
    }
  }
}
