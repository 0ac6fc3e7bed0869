/**
 * The content-hash cache (`--cache`), like ESLint's. Applied migrations never
 * change, so two things are reused between runs:
 *
 * - the findings of each migration, keyed by the hash of the history up to
 *   and including it (its own text and every earlier one) within a
 *   configuration key (tool version, rules and options, schema, Postgres and
 *   Prisma runner): a migration's findings depend on nothing else, except the
 *   git rules, which always run fresh;
 * - the catalog at the end of the history, keyed by the history's hash, so
 *   that a new migration on top of a long history is the only one parsed.
 *
 * The file is JSON. One from another tool version, or that does not parse, is
 * ignored and overwritten; nothing about the cache can fail a run.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { MigrationLintError } from "../errors.js";
import { ensureParentFolders, headOf } from "../write-file.js";
import type { CatalogSnapshot } from "../history/catalog.js";
import type { LintMessage } from "../engine/results.js";
import type { PackedSchemaData, PrismaSchemaData } from "../schema/parse-schema.js";

export const DEFAULT_CACHE_FILE = ".migration-lint-cache";
// 2: schema locations packed as [file, start, end] (SchemaSpan)
const FORMAT = 2;
/** How every cache file starts (JSON.stringify keeps the key order of CacheData). */
const CACHE_HEADER = '{"format":';

function statIsFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

export interface CachedFindings {
  kept: LintMessage[];
  suppressed: LintMessage[];
}

interface ProjectCache {
  /** Configuration key the findings belong to. */
  configKey: string;
  /** chain hash -> findings of that migration (git rules excluded). */
  findings: Record<string, CachedFindings>;
  /** The catalog after the migration with this chain hash. */
  snapshot: { chain: string; catalog: CatalogSnapshot } | null;
  /** The parsed schema.prisma, keyed by the hash of its files. */
  schema?: { hash: string; data: PackedSchemaData };
}

interface CacheData {
  format: number;
  tool: string;
  projects: Record<string, ProjectCache>;
}

/** `--cache-location`: a file, or a folder (ends with a separator or exists as one) that gets the default name. */
export function resolveCacheLocation(cwd: string, location?: string): string {
  if (!location) return path.join(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  try {
    isDir ||= statSync(resolved).isDirectory();
  } catch {
    // does not exist yet: a file path
  }
  return isDir ? path.join(resolved, DEFAULT_CACHE_FILE) : resolved;
}

export class LintCache {
  private data: CacheData;
  private dirty = false;

  private constructor(
    readonly file: string,
    readonly tool: string,
    data: CacheData | null,
  ) {
    this.data = data ?? { format: FORMAT, tool, projects: {} };
  }

  /**
   * Throws when `file` exists and is not a migration-lint cache (`--cache-location prisma/schema.prisma`
   * must not overwrite the schema). A cache of another version, or a truncated one, still starts with this
   * tool's JSON header and is replaced.
   */
  static open(file: string, tool: string): LintCache {
    const head = headOf(file, CACHE_HEADER.length);
    if (statIsFolder(file)) throw new MigrationLintError("usage", "--cache-location names a folder that cannot hold the cache file.", { file });
    if (head && head.length > 0 && !CACHE_HEADER.startsWith(head.toString("latin1"))) {
      throw new MigrationLintError("usage", "Refusing to use this file as the cache (--cache-location): it exists and is not a migration-lint cache, and the cache would overwrite it. Choose another path.", { file });
    }
    let data: CacheData | null = null;
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as CacheData;
      if (parsed && parsed.format === FORMAT && parsed.tool === tool && parsed.projects && typeof parsed.projects === "object") data = parsed;
    } catch {
      // missing, unreadable or corrupt: start empty
    }
    return new LintCache(file, tool, data);
  }

  private project(root: string, configKey: string): ProjectCache {
    let entry = this.data.projects[root];
    if (!entry || typeof entry !== "object") entry = this.data.projects[root] = { configKey, findings: {}, snapshot: null };
    if (entry.configKey !== configKey) {
      // another configuration: its findings do not apply, the catalog (SQL only) still does
      entry.configKey = configKey;
      entry.findings = {};
      this.dirty = true;
    }
    entry.findings ??= {};
    return entry;
  }

  findings(root: string, configKey: string, chain: string): CachedFindings | undefined {
    const hit = this.project(root, configKey).findings[chain];
    return hit && Array.isArray(hit.kept) && Array.isArray(hit.suppressed) ? hit : undefined;
  }

  snapshot(root: string, configKey: string): { chain: string; catalog: CatalogSnapshot } | null {
    return this.project(root, configKey).snapshot;
  }

  /** The packed schema (see unpackSchema) stored for these schema files, if any. */
  schema(root: string, hash: string): PackedSchemaData | undefined {
    const entry = this.data.projects[root];
    return entry?.schema?.hash === hash ? entry.schema.data : undefined;
  }

  storeSchema(root: string, hash: string, data: PrismaSchemaData): void {
    const entry = this.data.projects[root];
    if (!entry) return;
    // SchemaSpan.toJSON packs every location when the file is written
    entry.schema = { hash, data: data as unknown as PackedSchemaData };
    this.dirty = true;
  }

  /** Replaces the project's entries with this run's (so the file does not grow without bound). */
  store(root: string, configKey: string, findings: Record<string, CachedFindings>, snapshot: { chain: string; catalog: CatalogSnapshot } | null): void {
    const entry = this.project(root, configKey);
    if (Object.keys(findings).length === 0 && (!snapshot || entry.snapshot?.chain === snapshot.chain)) return; // nothing new: the file is not rewritten
    entry.findings = { ...entry.findings, ...findings };
    if (snapshot) entry.snapshot = snapshot;
    this.dirty = true;
  }

  /** Keeps only the given chain hashes' findings (the current history's). */
  prune(root: string, configKey: string, keep: Set<string>): void {
    const entry = this.project(root, configKey);
    for (const chain of Object.keys(entry.findings)) {
      if (!keep.has(chain)) {
        delete entry.findings[chain];
        this.dirty = true;
      }
    }
  }

  /** Writes atomically; a failure to write is not an error (the next run is just cold). */
  save(): boolean {
    if (!this.dirty) return true;
    try {
      ensureParentFolders(this.file, "the cache");
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(this.data));
      renameSync(temp, this.file);
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}

export function hashKey(parts: unknown[]): string {
  return createHash("sha1").update(JSON.stringify(parts)).digest("hex");
}
