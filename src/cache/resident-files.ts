/**
 * What a resident process read of a project's files, kept between its runs (src/cache/memory.ts): the migrations
 * folder's listing, each migration folder's entry and texts with their hashes, the history's chain hashes and the
 * schema files. A run reads again only the folders and files whose watch (./watch.ts) saw a change, and texts an
 * editor holds unsaved; the rest is taken as it was, without a read, a hash or a stat. What a run gets is what a
 * run that reads everything would get: the same entries, texts, hashes and chains.
 */
import path from "node:path";
import type { MigrationEntry } from "../types.js";
import { chainAfter, readMigrationFiles, sourceText, type MigrationFilesRead, type MigrationSourceText } from "../model/load.js";
import { childPath, listMigrationNames, migrationEntry } from "../sources/prisma-migrate.js";
import { addSchemaFile, readSchemaFile, unpackCachedSchema, type SchemaFilesRead, type SchemaHandle } from "../schema/load.js";
import type { PackedSchemaData, PrismaSchemaFile } from "../schema/parse-schema.js";
import { hashKey } from "../hash.js";
import { FolderWatch } from "./watch.js";
import { ResidentDiscovery } from "./resident-discovery.js";

interface FolderListing {
  /** The migrations folder's stamp when it was listed. */
  stamp: number | null;
  names: string[];
  broken: Map<string, string>;
  entries: Map<string, { entry: MigrationEntry; stamps: [number | null, number | null] }>;
  /** The last answer, and the watch's `latest()` after it (null when a folder could not be watched): while that stands, nothing changed. */
  answer: MigrationEntry[];
  answeredAt: number | null;
}

type SchemaFileRead = ReturnType<typeof readSchemaFile>;

export class ResidentFiles {
  private readonly watch = new FolderWatch();
  private readonly listings = new Map<string, FolderListing>();
  /** Each entry's files as last read (a new entry, listed again after a change, is read again). */
  private readonly reads = new WeakMap<MigrationEntry, MigrationFilesRead>();
  /** Each migrations folder's last history: entry, what was read, chain and source; a run reuses those of the same prefix. */
  private readonly chains = new Map<string, Array<{ entry: MigrationEntry; read: MigrationFilesRead; chain: string; text: MigrationSourceText }>>();
  private readonly schemaFiles = new Map<string, { stamp: number | null; read: SchemaFileRead }>();
  private lastSchemaHash: { files: PrismaSchemaFile[]; hash: string } | null = null;
  private lastUnpacked: { packed: PackedSchemaData; files: PrismaSchemaFile[]; handle: SchemaHandle | null } | null = null;
  /** What discovery found (the layout, the config file, the runner facts), revalidated by the paths it looked at. */
  readonly discovery: ResidentDiscovery;

  /** `settledMs`: see ResidentDiscovery. */
  constructor(options: { settledMs?: number } = {}) {
    this.discovery = new ResidentDiscovery(options.settledMs);
  }

  /** Lets the file events already queued arrive; a run awaits it before it trusts anything kept. */
  settle(): Promise<void> {
    return this.watch.settle();
  }

  /** The migrations of `migrationsDir` as `prismaMigrateSource.list` gives them: listed and read again only where a watch saw a change. */
  listMigrations(migrationsDir: string): MigrationEntry[] {
    const root = path.resolve(migrationsDir);
    const stamp = this.watch.stamp(root);
    let listing = this.listings.get(root);
    if (listing && listing.answeredAt === this.watch.latest()) return listing.answer;
    if (!listing || stamp === null || listing.stamp !== stamp) {
      const listed = listMigrationNames(root);
      const entries = listing?.entries ?? new Map();
      listing = { stamp, names: listed?.names ?? [], broken: listed?.broken ?? new Map(), entries, answer: [], answeredAt: null };
      const names = new Set(listing.names);
      for (const name of [...entries.keys()]) {
        if (names.has(name)) continue;
        entries.delete(name);
        this.watch.forget(path.join(root, name));
      }
      this.listings.set(root, listing);
    }
    let watched = stamp !== null;
    const answer = listing.names.map((name) => {
      const dir = childPath(root, name);
      // stamps before reading: a change while the folder is read is seen next time
      const stamps: [number | null, number | null] = [this.watch.stamp(root, name), this.watch.stamp(dir)];
      watched &&= stamps[0] !== null && stamps[1] !== null;
      const kept = listing.entries.get(name);
      if (kept && stamps[0] !== null && stamps[1] !== null && kept.stamps[0] === stamps[0] && kept.stamps[1] === stamps[1]) return kept.entry;
      const entry = migrationEntry(root, name, listing.broken.get(name));
      listing.entries.set(name, { entry, stamps });
      return entry;
    });
    [listing.answer, listing.answeredAt] = [answer, watched ? this.watch.latest() : null];
    return answer;
  }

  /** `readMigrationSources` of entries `listMigrations` gave (and any others, which are read), reusing the reads and chains of unchanged ones. */
  readSources(migrationsDir: string, entries: MigrationEntry[], unsaved?: ReadonlyMap<string, string | Uint8Array>): MigrationSourceText[] {
    const root = path.resolve(migrationsDir);
    const before = this.chains.get(root) ?? [];
    let chain = "";
    // the same prefix keeps its records and sources (nothing changes a source once made): no garbage for 819 of 820
    let same = 0;
    const history = entries.map((entry, index) => {
      const read = this.readOf(entry, unsaved);
      const last = before[index];
      if (same === index && last !== undefined && last.entry === entry && last.read === read) {
        same++;
        return last;
      }
      chain = index === same ? (before[index - 1]?.chain ?? "") : chain;
      chain = chainAfter(chain, entry, read);
      return { entry, read, chain, text: sourceText(entry, index, read, chain) };
    });
    this.chains.set(root, history);
    return history.map((h) => h.text);
  }

  /** `readSchemaFiles`, reusing what an unchanged file held. */
  readSchema(paths: string[], unsaved?: ReadonlyMap<string, string>): SchemaFilesRead {
    const out: SchemaFilesRead = { files: [], unreadable: [], problems: [] };
    for (const file of paths) {
      let read: SchemaFileRead;
      if (unsaved?.has(file)) read = readSchemaFile(file, unsaved);
      else {
        const stamp = this.watch.stamp(path.dirname(file), path.basename(file));
        const kept = this.schemaFiles.get(file);
        if (kept && stamp !== null && kept.stamp === stamp) read = kept.read;
        else this.schemaFiles.set(file, { stamp, read: (read = readSchemaFile(file)) });
      }
      addSchemaFile(out, read);
    }
    return out;
  }

  /** `hashKey` of the schema files' paths and texts, hashed again only when a file is not the one read last time. */
  schemaHash(files: PrismaSchemaFile[]): string {
    const last = this.lastSchemaHash;
    if (last && sameFiles(last.files, files)) return last.hash;
    const hash = hashKey(files.map((f) => [f.path, f.text]));
    this.lastSchemaHash = { files, hash };
    return hash;
  }

  /**
   * `unpackCachedSchema`, unpacked again only when the packed schema or a file is not the one of last time: the model
   * and its files' line starts (a schema location's line is worked out from them) stay between runs (~1 ms an edit).
   */
  unpackSchema(packed: PackedSchemaData, files: PrismaSchemaFile[]): SchemaHandle | null {
    const last = this.lastUnpacked;
    if (last && last.packed === packed && sameFiles(last.files, files)) return last.handle;
    const handle = unpackCachedSchema(packed, files);
    this.lastUnpacked = { packed, files, handle };
    return handle;
  }

  close(): void {
    this.watch.close();
  }

  private readOf(entry: MigrationEntry, unsaved: ReadonlyMap<string, string | Uint8Array> | undefined): MigrationFilesRead {
    const kept = this.reads.get(entry);
    const held = entry.upPath ? unsaved?.get(entry.upPath) : undefined;
    if (held === undefined) {
      if (kept) return kept;
      const read = readMigrationFiles(entry);
      this.reads.set(entry, read);
      return read;
    }
    // an unsaved text: what it holds now, the same record when it holds what was read (so the chains after it stand)
    const read = readMigrationFiles(entry, unsaved);
    return kept && kept.hash === read.hash && kept.extras === read.extras ? kept : read;
  }
}

function sameFiles(a: PrismaSchemaFile[], b: PrismaSchemaFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}
