/**
 * The content-hash cache, like ESLint's: on by default on the command line (`--no-cache` turns it off), off by
 * default in the API (`cache: true`), which writes nothing unasked. Applied migrations never
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
import { hashKey, sha1Hex } from "../hash.js";
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { MigrationLintError } from "../errors.js";
import { headOf, writeFileAtomically } from "../write-file.js";
import { unicodeEscape } from "../controls.js";
import { statIsFolder } from "./location.js";

export { DEFAULT_CACHE_FILE, defaultCacheFile, resolveCacheLocation } from "./location.js";
import type { ResidentFiles } from "./resident-files.js";
import type { CatalogSnapshot } from "../history/catalog.js";
import type { Dialect } from "../dialects/dialect.js";
import type { FileRecord, MigrationSourceText } from "../model/load.js";
import type { RunnerInfo } from "../types.js";
import type { LintMessage } from "../engine/results.js";
import type { PackedSchemaData, PrismaSchemaData } from "../schema/parse-schema.js";

// 2: schema locations packed as [file, start, end] (SchemaSpan)
// 3: every entry carries `check`, the hash of what it holds and what it is for (an entry that does not match it is a miss)
// 4: the file is sealed (`seal`: the sha1 of its text without the seal), and keeps the migration files' metadata (`files`)
// 5: what a run changes is appended as journal lines after the sealed JSON (see `save`); the JSON is written in ASCII
const FORMAT = 5;
/**
 * A run that changes little appends one journal line (a line break, the sha1 of the line's JSON, the JSON: what each
 * project gained and lost) instead of rewriting the whole file: a new migration on trigger.dev's 820 rewrote 2 MB
 * (45-60 ms: JSON.stringify, escaping, sha1 and the write), its line is ~270 KB, nearly all the catalog after it.
 * The file is rewritten whole when its lines would pass half the size of its JSON, or this many lines.
 */
const MAX_JOURNAL_LINES = 32;
/** How every cache file starts (JSON.stringify keeps the key order of CacheData). */
export const CACHE_HEADER = '{"format":';
/** How a sealed file of this format starts: the seal follows, 40 hex digits, then `",`. */
const SEALED_HEADER = `{"format":${FORMAT},"seal":"`;

export interface CachedFindings {
  kept: LintMessage[];
  suppressed: LintMessage[];
}

interface ProjectCache {
  /** Configuration key the findings belong to. */
  configKey: string;
  /** chain hash -> findings of that migration (git rules excluded). */
  findings: Record<string, CachedFindings & { check: string }>;
  /** The catalog after the migration with this chain hash. */
  snapshot: { chain: string; catalog: CatalogSnapshot; check: string } | null;
  /** The parsed schema.prisma, keyed by the hash of its files. */
  schema?: { hash: string; data: PackedSchemaData; check: string };
  /** What the last run saw of each migration.sql (absolute path), so that the next one reads only those that changed. */
  files?: { records: Record<string, FileRecord>; check: string };
}

/** What a run changed in one project's entry: a journal line holds one per project it changed. */
interface ProjectChanges {
  /** The configuration key the findings below belong to; where the entry has another one, its findings are dropped first. */
  configKey: string;
  /** The findings were dropped first (another configuration), as `project` does. */
  reset?: true;
  add: Record<string, CachedFindings & { check: string }>;
  drop: string[];
  snapshot?: ProjectCache["snapshot"];
  schema?: ProjectCache["schema"];
  files?: { set: Record<string, FileRecord>; drop: string[] };
}

/**
 * A cached entry is used only when its check matches what it holds and the key it is read under: a hand-edited,
 * half-written or foreign entry (`kept: []` would hide every finding of its migration, a `null` crashed the run)
 * is a miss, and the migration is linted again. A warm run never differs from a cold one. A file whose seal matches
 * its text is as this tool wrote it: its entries' checks are not computed again (that cost ~17 ms on trigger.dev's
 * 820 migrations, the sha1 of the whole text ~3 ms).
 */
const checkOf = (parts: unknown[]): string => hashKey(parts);

function isFileRecord(v: unknown): v is FileRecord {
  return Array.isArray(v) && v.length === 5 && v.slice(0, 4).every((n) => typeof n === "number") && typeof v[4] === "string";
}

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
function isMessage(m: unknown): m is LintMessage {
  if (!m || typeof m !== "object") return false;
  const { ruleId, severity, message, line, column, fingerprint } = m as Partial<LintMessage>;
  return (ruleId === null || typeof ruleId === "string") && (severity === 1 || severity === 2) && typeof message === "string" && isCount(line) && isCount(column) && typeof fingerprint === "string";
}

interface CacheData {
  format: number;
  /** sha1 of the file's text without this field: written by `save`, taken out by `open`. */
  seal?: string;
  tool: string;
  projects: Record<string, ProjectCache>;
}

/**
 * What a project's lint asks of a cache: LintCache (`--cache`, a file) or LintHistory (src/cache/memory.ts: the
 * language server's history, kept in memory between runs).
 */
export interface FindingsStore {
  findings(root: string, configKey: string, chain: string): CachedFindings | undefined;
  /** The catalogs kept, each after the migration with its chain hash (the file keeps one: after the whole history). */
  snapshots(root: string, configKey: string): Array<{ chain: string; catalog: CatalogSnapshot }>;
  schema(root: string, hash: string): PackedSchemaData | undefined;
  storeSchema(root: string, hash: string, data: PrismaSchemaData): void;
  /** What the last run saw of the project's migration files (absolute path -> record), to read only those that changed. */
  fileRecords?(root: string): ReadonlyMap<string, FileRecord> | undefined;
  storeFileRecords?(root: string, records: Map<string, FileRecord>): void;
  store(root: string, configKey: string, findings: Record<string, CachedFindings>, snapshot: { chain: string; catalog: CatalogSnapshot } | null): void;
  prune(root: string, configKey: string, keep: Set<string>): void;
  save(): boolean;
  /** Whether to keep the catalog as it stands after the migration at `index` of `count` (then `keepCatalog` gets it). */
  keepsCatalogAfter?(root: string, index: number, count: number): boolean;
  keepCatalog?(root: string, configKey: string, chain: string, catalog: CatalogSnapshot): void;
  /** What the project is linted as, and its migrations' texts, when its history is about to be linted. */
  sawProject?(root: string, facts: { dialect: Dialect; runner: RunnerInfo; postgresVersion: number; texts: MigrationSourceText[] }): void;
  /** A resident process's files, kept between its runs and read again where they changed (src/cache/resident-files.ts). */
  readonly files?: ResidentFiles;
}

export class LintCache implements FindingsStore {
  private data: CacheData;
  private dirty = false;
  /** This run's changes by project, for the journal line `save` appends. */
  private readonly changes = new Map<string, ProjectChanges>();
  /** Projects whose file records came from journal lines: their check is computed when the JSON is written again. */
  private readonly staleFileChecks = new Set<string>();
  /** Size of the file's sealed JSON, and of the journal lines after it (all valid: else the next save rewrites the file). */
  private journal = { canAppend: false, jsonBytes: 0, bytes: 0, lines: 0, ino: 0, lastRunBytes: 0 };

  private constructor(
    readonly file: string,
    readonly tool: string,
    data: CacheData | null,
    /** The file's seal matched its text: its entries are as this tool wrote them. */
    private readonly sealed = false,
  ) {
    this.data = data ?? { format: FORMAT, tool, projects: {} };
  }

  /** Whether an entry holds what its check says (always, in a sealed file). */
  private checks(check: unknown, parts: () => unknown[]): boolean {
    return this.sealed || check === checkOf(parts());
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
    let sealed = false;
    let bytes: Buffer | undefined;
    let json: Buffer | undefined;
    let ino = 0;
    try {
      // the inode read, so that a journal line is appended only to this very file (see save)
      const fd = openSync(file, "r");
      try {
        ino = fstatSync(fd).ino;
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
      const newline = bytes.indexOf(0x0a);
      json = newline < 0 ? bytes : bytes.subarray(0, newline);
      // written in ASCII (see save): decoded as one-byte text, which JSON.parse reads fastest
      const parsed = JSON.parse(json.toString("utf8")) as CacheData;
      if (parsed && parsed.format === FORMAT && parsed.tool === tool && parsed.projects && typeof parsed.projects === "object") {
        data = parsed;
        sealed = typeof parsed.seal === "string" && isSealedBy(json, parsed.seal);
        delete data.seal;
      }
    } catch {
      // missing, unreadable or corrupt: start empty
    }
    const cache = new LintCache(file, tool, data, sealed);
    // the journal's lines apply to the JSON they follow only when it is sealed (else it is rewritten whole)
    if (sealed && bytes && json) cache.replay(bytes, json.length, ino);
    return cache;
  }

  /** Applies the journal lines after the JSON, up to the first that is not as `save` wrote it (torn, edited). */
  private replay(bytes: Buffer, start: number, ino: number): void {
    const journal = { canAppend: true, jsonBytes: start, bytes: 0, lines: 0, ino, lastRunBytes: 0 };
    for (let at = start; at < bytes.length; ) {
      const end = bytes.indexOf(0x0a, at + 1);
      const line = bytes.subarray(at + 1, end < 0 ? bytes.length : end);
      if (line[0] === 0x23) {
        // `#`: the last run's block (src/cache/last-run.ts) ends the file; a journal line appended takes its place
        journal.lastRunBytes = bytes.length - at;
        break;
      }
      const body = line.subarray(40);
      let applied = false;
      if (line.length > 40 && sealOf(body) === line.toString("latin1", 0, 40)) {
        try {
          const projects = (JSON.parse(body.toString("utf8")) as { projects: Record<string, ProjectChanges> }).projects;
          for (const [root, changes] of Object.entries(projects)) this.apply(root, changes);
          applied = true;
        } catch {
          // sealed but not as written: what was applied of it stays (each entry is checked where it is read), the rest is lost
        }
      }
      if (!applied) {
        journal.canAppend = false;
        break;
      }
      journal.bytes += line.length + 1;
      journal.lines++;
      at = end < 0 ? bytes.length : end;
    }
    this.journal = journal;
  }

  /** One project's changes of a journal line, applied as the run that wrote them made them. */
  private apply(root: string, changes: ProjectChanges): void {
    let entry = this.data.projects[root];
    if (!entry || typeof entry !== "object") entry = this.data.projects[root] = { configKey: changes.configKey, findings: {}, snapshot: null };
    if (changes.reset || entry.configKey !== changes.configKey || !entry.findings || typeof entry.findings !== "object") {
      entry.configKey = changes.configKey;
      entry.findings = {};
    }
    for (const chain of changes.drop) delete entry.findings[chain];
    Object.assign(entry.findings, changes.add);
    if (changes.snapshot !== undefined) entry.snapshot = changes.snapshot;
    if (changes.schema !== undefined) entry.schema = changes.schema;
    if (changes.files) {
      const records = { ...(entry.files?.records ?? {}) };
      for (const file of changes.files.drop) delete records[file];
      Object.assign(records, changes.files.set);
      entry.files = { records, check: "" };
      this.staleFileChecks.add(root);
    }
  }

  /** This run's changes to the project's entry (for the journal line). */
  private changed(root: string, configKey = this.data.projects[root]?.configKey ?? ""): ProjectChanges {
    let changes = this.changes.get(root);
    if (!changes) this.changes.set(root, (changes = { configKey, add: {}, drop: [] }));
    return changes;
  }

  private project(root: string, configKey: string): ProjectCache {
    let entry = this.data.projects[root];
    if (!entry || typeof entry !== "object") entry = this.data.projects[root] = { configKey, findings: {}, snapshot: null };
    if (entry.configKey !== configKey || !entry.findings || typeof entry.findings !== "object" || Array.isArray(entry.findings)) {
      // another configuration: its findings do not apply, the catalog (SQL only) still does
      if (entry.configKey !== configKey) this.dirty = true;
      entry.configKey = configKey;
      entry.findings = {};
      // the journal line drops them too; what else this run changed of the project stays in it
      const { snapshot, schema, files } = this.changes.get(root) ?? {};
      this.changes.set(root, { configKey, reset: true, add: {}, drop: [], ...(snapshot !== undefined ? { snapshot } : {}), ...(schema !== undefined ? { schema } : {}), ...(files ? { files } : {}) });
    }
    return entry;
  }

  findings(root: string, configKey: string, chain: string): CachedFindings | undefined {
    const hit = this.project(root, configKey).findings[chain] as Partial<CachedFindings & { check: string }> | null | undefined;
    if (!hit || typeof hit !== "object" || !Array.isArray(hit.kept) || !Array.isArray(hit.suppressed)) return undefined;
    if (!hit.kept.every(isMessage) || !hit.suppressed.every(isMessage)) return undefined;
    return this.checks(hit.check, () => [configKey, chain, hit.kept, hit.suppressed]) ? { kept: hit.kept!, suppressed: hit.suppressed! } : undefined;
  }

  snapshot(root: string, configKey: string): { chain: string; catalog: CatalogSnapshot } | null {
    const snapshot = this.project(root, configKey).snapshot as Partial<NonNullable<ProjectCache["snapshot"]>> | null;
    if (!snapshot || typeof snapshot !== "object" || typeof snapshot.chain !== "string" || !snapshot.catalog) return null;
    return this.checks(snapshot.check, () => [snapshot.chain, snapshot.catalog]) ? { chain: snapshot.chain!, catalog: snapshot.catalog! } : null;
  }

  snapshots(root: string, configKey: string): Array<{ chain: string; catalog: CatalogSnapshot }> {
    const snapshot = this.snapshot(root, configKey);
    return snapshot ? [snapshot] : [];
  }

  /** The packed schema (see unpackSchema) stored for these schema files, if any. */
  schema(root: string, hash: string): PackedSchemaData | undefined {
    const entry = this.data.projects[root];
    const schema = entry && typeof entry === "object" ? (entry.schema as Partial<NonNullable<ProjectCache["schema"]>> | null | undefined) : undefined;
    if (!schema || typeof schema !== "object" || schema.hash !== hash || !schema.data || typeof schema.data !== "object") return undefined;
    return this.checks(schema.check, () => [hash, schema.data]) ? schema.data : undefined;
  }

  /** The records of the last run (none: an empty map, and this run's files are stat'ed to record them). */
  fileRecords(root: string): ReadonlyMap<string, FileRecord> {
    let records = this.recordsRead.get(root);
    if (!records) this.recordsRead.set(root, (records = this.readFileRecords(root)));
    return records;
  }

  /** What `fileRecords` gives, read and checked once per project (a run asks when it reads the files and again when it stores them). */
  private readonly recordsRead = new Map<string, ReadonlyMap<string, FileRecord>>();

  private readFileRecords(root: string): ReadonlyMap<string, FileRecord> {
    const records = new Map<string, FileRecord>();
    const entry = this.data.projects[root];
    const files = entry && typeof entry === "object" ? (entry.files as Partial<NonNullable<ProjectCache["files"]>> | null | undefined) : undefined;
    if (!files || typeof files !== "object" || !files.records || typeof files.records !== "object" || Array.isArray(files.records)) return records;
    if (!this.checks(files.check, () => [root, files.records])) return records;
    for (const [file, record] of Object.entries(files.records)) if (isFileRecord(record)) records.set(file, record);
    return records;
  }

  /** Replaces the project's file records (those of files gone drop out); the file is rewritten only if they changed. */
  storeFileRecords(root: string, records: Map<string, FileRecord>): void {
    const entry = this.data.projects[root];
    if (!entry) return;
    const old = this.fileRecords(root);
    if (old.size === records.size && [...records].every(([file, r]) => old.get(file)?.every((v, i) => v === r[i]))) return;
    const plain = Object.fromEntries(records);
    entry.files = { records: plain, check: checkOf([root, plain]) };
    this.staleFileChecks.delete(root);
    const changes = this.changed(root);
    const set = { ...changes.files?.set };
    for (const [file, record] of records) if (!old.get(file)?.every((v, i) => v === record[i])) set[file] = record;
    changes.files = { set, drop: [...new Set([...(changes.files?.drop ?? []), ...[...old.keys()].filter((file) => !records.has(file))])] };
    this.recordsRead.set(root, new Map(records));
    this.dirty = true;
  }

  storeSchema(root: string, hash: string, data: PrismaSchemaData): void {
    const entry = this.data.projects[root];
    if (!entry) return;
    // SchemaSpan.toJSON packs every location, for the check as when the file is written
    entry.schema = { hash, data: data as unknown as PackedSchemaData, check: checkOf([hash, data]) };
    this.changed(root).schema = entry.schema;
    this.dirty = true;
  }

  /** Replaces the project's entries with this run's (so the file does not grow without bound). */
  store(root: string, configKey: string, findings: Record<string, CachedFindings>, snapshot: { chain: string; catalog: CatalogSnapshot } | null): void {
    const entry = this.project(root, configKey);
    if (Object.keys(findings).length === 0 && (!snapshot || this.snapshot(root, configKey)?.chain === snapshot.chain)) return; // nothing new: the file is not rewritten
    const changes = this.changed(root, configKey);
    for (const [chain, { kept, suppressed }] of Object.entries(findings)) {
      changes.add[chain] = entry.findings[chain] = { kept, suppressed, check: checkOf([configKey, chain, kept, suppressed]) };
      changes.drop = changes.drop.filter((c) => c !== chain);
    }
    if (snapshot) changes.snapshot = entry.snapshot = { ...snapshot, check: checkOf([snapshot.chain, snapshot.catalog]) };
    this.dirty = true;
  }

  /** Keeps only the given chain hashes' findings (the current history's). */
  prune(root: string, configKey: string, keep: Set<string>): void {
    const entry = this.project(root, configKey);
    for (const chain of Object.keys(entry.findings)) {
      if (!keep.has(chain)) {
        delete entry.findings[chain];
        const changes = this.changed(root, configKey);
        delete changes.add[chain];
        changes.drop.push(chain);
        this.dirty = true;
      }
    }
  }

  /**
   * Appends this run's changes as a journal line when the file is as this run read it and its lines stay small, else
   * writes it whole, atomically, sealed. A failure to write is not an error (the next run is just cold).
   */
  save(): boolean {
    if (!this.dirty) return true;
    try {
      if (!this.append()) this.rewrite();
      this.changes.clear();
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }

  private append(): boolean {
    const journal = this.journal;
    if (!journal.canAppend || journal.lines >= MAX_JOURNAL_LINES || !this.changes.size) return false;
    const body = Buffer.from(asciiJson({ projects: Object.fromEntries(this.changes) }), "latin1");
    const line = Buffer.concat([Buffer.from(`\n${sealOf(body)}`, "latin1"), body]);
    if (journal.bytes + line.length > journal.jsonBytes / 2) return false;
    let fd: number;
    try {
      fd = openSync(this.file, "r+");
    } catch {
      return false;
    }
    try {
      // another run may have replaced the file, or appended to it, since this one read it: then it is written whole
      const stat = fstatSync(fd);
      const end = journal.jsonBytes + journal.bytes;
      if (stat.ino !== journal.ino || stat.size !== end + journal.lastRunBytes) return false;
      writeSync(fd, line, 0, line.length, end);
      if (journal.lastRunBytes) ftruncateSync(fd, end + line.length);
    } finally {
      closeSync(fd);
    }
    journal.bytes += line.length;
    journal.lines++;
    journal.lastRunBytes = 0;
    return true;
  }

  private rewrite(): void {
    // records taken from journal lines get the check a file without a seal is read with
    for (const root of this.staleFileChecks) {
      const files = this.data.projects[root]?.files;
      if (files) files.check = checkOf([root, files.records]);
    }
    this.staleFileChecks.clear();
    const text = asciiJson({ format: FORMAT, seal: "", tool: this.data.tool, projects: this.data.projects });
    const seal = sealOf(Buffer.from(unsealed(text, ""), "latin1"));
    const sealed = SEALED_HEADER + seal + text.slice(SEALED_HEADER.length);
    writeFileAtomically(this.file, sealed, "the cache");
    let ino = 0;
    try {
      ino = statSync(this.file).ino;
    } catch {
      // gone already: the next save writes it whole again
    }
    this.journal = { canAppend: ino !== 0, jsonBytes: sealed.length, bytes: 0, lines: 0, ino, lastRunBytes: 0 };
  }
}

/** The text a seal is computed over: the file's text without its `"seal":"..."` field. */
function unsealed(text: string, seal: string): string {
  return CACHE_HEADER + FORMAT + "," + text.slice(SEALED_HEADER.length + seal.length + 2);
}

const sealOf = sha1Hex;

/** Whether the file's bytes start with the header and `seal`, and the seal is the sha1 of the rest as `unsealed` joins it (no copy of the text). */
function isSealedBy(bytes: Buffer, seal: string): boolean {
  const header = Buffer.from(SEALED_HEADER + seal + '",', "latin1");
  if (bytes.length < header.length || !bytes.subarray(0, header.length).equals(header)) return false;
  return createHash("sha1").update(CACHE_HEADER + FORMAT + ",").update(bytes.subarray(header.length)).digest("hex") === seal;
}

const NOT_ASCII = /[^\x00-\x7f]/g;

/**
 * JSON.stringify with every character outside ASCII escaped (JSON allows \uXXXX in any string): the cache file's
 * text is one byte per character, decoded and parsed on the fast path, and its bytes are the text a seal covers.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NOT_ASCII, unicodeEscape);
}
