/**
 * Reads every migration of a history once, hashes it, and parses the ones a
 * run needs (with the cache, only those after the last cached catalog).
 */
import { sha1Hex } from "../hash.js";
import { isUtf8 } from "node:buffer";
import { lstatSync, readFileSync, statSync, type Stats } from "node:fs";
import { observe } from "../discover/observed.js";
import path from "node:path";
import type { MigrationEntry, ParsedSqlFile } from "../types.js";
import type { LoadedMigration } from "../engine/linter.js";
import type { Dialect } from "../dialects/dialect.js";
import { loadDialect } from "../dialects/index.js";
import { errorMessage } from "../errors.js";

/** Decodes a file: UTF-8 (BOM kept for SourceText to strip), or UTF-16 when it starts with a UTF-16 BOM. */
export function decodeText(buffer: Buffer): string {
  return decodeSource(buffer).text;
}

/** Where the bytes of a file are something Prisma cannot read as UTF-8: a sentence, and the offset in the text (BOM removed) it points at. */
export interface EncodingProblem {
  message: string;
  offset: number;
}

const fix = (label: string) => `Prisma reads ${label} as UTF-8 and fails on it; save the file as UTF-8`;

/**
 * Decodes like `decodeText`, and says when the bytes are not UTF-8: Prisma
 * reads migration.sql as UTF-8 (Rust's `read_to_string`), so a UTF-16 file or
 * invalid UTF-8 fails there, while we would decode and lint it in silence.
 */
export function decodeSource(buffer: Buffer, label = "migration.sql"): { text: string; problem: EncodingProblem | null } {
  for (const [b0, b1, encoding, name] of [[0xff, 0xfe, "utf-16le", "little"], [0xfe, 0xff, "utf-16be", "big"]] as const) {
    if (buffer.length >= 2 && buffer[0] === b0 && buffer[1] === b1) {
      return {
        text: new TextDecoder(encoding).decode(buffer.subarray(2)),
        problem: { message: `the file is UTF-16 (${name}-endian, with a byte order mark), linted as such here: ${fix(label)}`, offset: 0 },
      };
    }
  }
  const text = buffer.toString("utf8");
  if (isUtf8(buffer)) return { text, problem: null };
  const at = firstInvalidUtf8(buffer);
  const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 1 : 0;
  const offset = Math.max(0, buffer.toString("utf8", 0, at).length - bom);
  const hex = `0x${buffer[at]!.toString(16).toUpperCase().padStart(2, "0")}`;
  return { text, problem: { message: `the file is not valid UTF-8 (byte ${hex} here, shown as U+FFFD): ${fix(label)}`, offset } };
}

/** Byte offset of the first byte that does not belong to a well-formed UTF-8 sequence (no overlongs, surrogates or code points above U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const size = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    // the second byte's range depends on the first (Unicode Table 3-7)
    const second = bytes[i + 1]!;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < size; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += size;
  }
  return bytes.length;
}

export interface MigrationSourceText {
  entry: MigrationEntry;
  index: number;
  /**
   * The decoded file, or null when it cannot be read (then `error` says why). A file the cache vouches for (see
   * `FileRecord`) is read only when something asks for its text.
   */
  readonly text: string | null;
  error: string | null;
  /** sha1 of the file's bytes ("" when unreadable). */
  hash: string;
  /** sha1 over this migration and every one before it: the identity of the history up to here. */
  chain: string;
  /** Set when the file is not UTF-8 (UTF-16, invalid bytes): reported as a parse error when the migration is parsed. */
  readonly encoding?: EncodingProblem | null;
  /** What the cache keeps of the file for the next run, when its metadata can be trusted then (see `recordOf`). */
  record?: FileRecord;
  /** Set when the cache vouched for the file by its metadata: it was neither read nor hashed (its text is read on demand). */
  readonly vouched?: boolean;
}

/**
 * What a run remembers of a migration.sql so that the next one need not read it: size, modification and status-change
 * times, inode, and the sha1 of the bytes that had them. Where all four are the same the bytes are taken to be too.
 */
export type FileRecord = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string];

/**
 * A file modified less than this long before it was looked at is not recorded (git's "racily clean" entries): a
 * later edit within the same timestamp tick (a second or two on some filesystems, a few ms of the kernel's coarse
 * clock on others), of the same size, would leave its metadata as they were. It is read and hashed on every run
 * until it is older. The status-change time is compared too, which no tool can set back: a same-size edit whose
 * modification time was restored (cp -p, rsync -t, touch -d) still changes it.
 */
export const RACY_MS = 3000;

/** The record of a file stat'ed at `now` (before it was read), or undefined while its metadata cannot be trusted. */
export function recordOf(stat: Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino">, hash: string, now: number): FileRecord | undefined {
  if (stat.mtimeMs > now - RACY_MS) return undefined;
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, hash];
}

/** Whether `stat` is what `record` recorded: then the file still has the recorded hash. */
export function unchangedSince(record: FileRecord | undefined, stat: Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino">): record is FileRecord {
  return record !== undefined && record[0] === stat.size && record[1] === stat.mtimeMs && record[2] === stat.ctimeMs && record[3] === stat.ino;
}

/** A migration whose file the cache vouches for: its text is read and decoded when first asked for. */
class VouchedSource implements MigrationSourceText {
  private decoded: { text: string; problem: EncodingProblem | null } | undefined;
  error = null;
  readonly vouched = true;
  constructor(
    readonly entry: MigrationEntry,
    readonly index: number,
    public hash: string,
    public chain: string,
    public record: FileRecord,
  ) {}
  private decode() {
    if (!this.decoded) {
      try {
        this.decoded = decodeSource(readFileSync(this.entry.upPath!));
      } catch {
        // gone or unreadable since it was stat'ed: the findings are those of the bytes it had, shown without source lines
        this.decoded = { text: "", problem: null };
      }
    }
    return this.decoded;
  }
  get text(): string {
    return this.decode().text;
  }
  get encoding(): EncodingProblem | null {
    return this.decode().problem;
  }
}

/**
 * Reads the migration files. Synchronous on purpose: they are small and
 * many, and synchronous reads measured faster than promise-based ones (no
 * per-file handle and event-loop round trip): trigger.dev's 820 files take
 * 7 ms one after another, 55-80 ms as Promise.all(readFile) (2 cores).
 *
 * With `known` (the cache's records of the last run), a file whose metadata are as recorded is neither read nor
 * hashed: its recorded hash stands, and its text is read if something asks for it (a formatter showing a finding's
 * line, a rule of a migration linted again).
 */
export function readMigrationSources(entries: MigrationEntry[], buffer?: { filePath: string; text: string | Uint8Array } | ReadonlyMap<string, string>, known?: ReadonlyMap<string, FileRecord>): MigrationSourceText[] {
  // an editor buffer (--stdin), or the language server's unsaved documents, stand for their files
  const unsaved = buffer instanceof Map ? buffer : buffer && "filePath" in buffer ? new Map([[buffer.filePath, buffer.text]]) : undefined;
  const now = Date.now();
  let chain = "";
  return entries.map((entry, index) => {
    const read = readMigrationFiles(entry, unsaved, known, now);
    chain = chainAfter(chain, entry, read);
    return sourceText(entry, index, read, chain);
  });
}

/** What one migration folder's files hold (migration.sql's text and hash, the other files' texts), before the history's chain is put on it. */
export interface MigrationFilesRead {
  text: string | null;
  error: string | null;
  hash: string;
  encoding: EncodingProblem | null;
  /** The folder's other files as the chain hashes them. */
  extras: string;
  /** What the cache keeps of migration.sql for the next run (see `recordOf`). */
  record?: FileRecord;
  /** The cache vouched for migration.sql by its metadata: not read (`text` is null), its text is read on demand. */
  vouched?: boolean;
}

/**
 * Reads one migration folder's files (an unsaved text stands for its file); sets `entry.extraTexts`. With `known`
 * (the cache's records, looked at `now`), a migration.sql whose metadata are as recorded is not read (`vouched`).
 */
export function readMigrationFiles(entry: MigrationEntry, unsaved?: ReadonlyMap<string, string | Uint8Array>, known?: ReadonlyMap<string, FileRecord>, now = Date.now()): MigrationFilesRead {
  let text: string | null = null;
  let error: string | null = null;
  let encoding: EncodingProblem | null = null;
  let hash = "";
  let record: FileRecord | undefined;
  let vouched = false;
  if (entry.readError) {
    error = entry.readError;
  } else if (!entry.upPath) {
    error = missingScript(entry);
  } else {
    try {
      const held = unsaved?.get(entry.upPath);
      // stat before reading: a write after the stat changes what the next run's stat sees
      const stat = held === undefined && known ? statSync(entry.upPath) : undefined;
      observe(entry.upPath, "content", stat);
      const recorded = stat && known!.get(entry.upPath);
      if (stat && unchangedSince(recorded, stat)) {
        [record, hash, vouched] = [recorded, recorded[4], true];
      } else {
        const bytes = held !== undefined ? Buffer.from(held) : readFileSync(entry.upPath);
        hash = sha1Hex(bytes);
        ({ text, problem: encoding } = decodeSource(bytes));
        if (stat) record = recordOf(stat, hash, now);
      }
    } catch (err) {
      observe(entry.upPath, "content");
      error = `Cannot read ${entry.upPath}: ${errorMessage(err)}. \`prisma migrate deploy\` fails on it too.`;
    }
  }
  entry.extraTexts = readExtraTexts(entry.extraFiles);
  // the folder's other files count too: a down.sql or README changes what rules say about it
  const extras = JSON.stringify([entry.downPath !== null, entry.extraFiles.map((f) => [f, entry.extraTexts?.[f] ?? null])]);
  return { text, error, hash, encoding, extras, ...(record ? { record } : {}), ...(vouched ? { vouched } : {}) };
}

/** The chain hash after `entry`: the identity of the history up to and including it, given the chain before it. */
export function chainAfter(previous: string, entry: MigrationEntry, read: MigrationFilesRead): string {
  return sha1Hex(`${previous}\0${entry.name}\0${read.hash}\0${read.extras}`);
}

export function sourceText(entry: MigrationEntry, index: number, read: MigrationFilesRead, chain: string): MigrationSourceText {
  if (read.vouched) return new VouchedSource(entry, index, read.hash, chain, read.record!);
  return { entry, index, text: read.text, error: read.error, hash: read.hash, chain, encoding: read.encoding, ...(read.record ? { record: read.record } : {}) };
}

const EXTRA_TEXT = /\.(md|markdown|txt|sql)$/i;
const EXTRA_TEXT_LIMIT = 256 * 1024;

function readExtraTexts(files: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files) {
    if (!EXTRA_TEXT.test(file)) continue;
    observe(file, "content");
    try {
      const bytes = readFileSync(file);
      if (bytes.length <= EXTRA_TEXT_LIMIT) out[file] = decodeText(bytes);
    } catch {
      // an unreadable README is not a finding; the rule sees the file without text
    }
  }
  return out;
}

/**
 * Why a migration folder has no usable migration.sql. The source adapter
 * lists only regular files (following a symlink one level), so a
 * `migration.sql` that is a folder, a broken or looping symlink or a special
 * file was reported as missing, which sent users looking for a file they can see.
 */
function missingScript(entry: MigrationEntry): string {
  const fails = "`prisma migrate deploy` fails on it.";
  const script = path.join(entry.dir, "migration.sql");
  let what: string | null = null;
  try {
    const link = lstatSync(script);
    if (link.isSymbolicLink()) {
      try {
        what = statSync(script).isDirectory() ? "is a symbolic link to a folder" : "is a symbolic link to something that is not a file";
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        what = code === "ELOOP" ? "is a symbolic link that loops" : code === "ENOENT" ? "is a broken symbolic link" : `is a symbolic link that cannot be followed (${code ?? errorMessage(err)})`;
      }
    } else if (link.isDirectory()) what = "is a folder, not a file";
    else if (!link.isFile()) what = "is not a regular file";
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") what = `cannot be read (${code ?? errorMessage(err)})`;
  }
  if (what) return `"migration.sql" in migration folder "${entry.name}" ${what}: ${fails} Replace it with the SQL file or remove the folder.`;
  return `Migration folder "${entry.name}" has no migration.sql: ${fails} Add the script or remove the folder.`;
}

/** Parses migrations from `fromIndex` on; earlier ones get a statement-less file (text only). */
export async function parseMigrations(sources: MigrationSourceText[], dialect: Dialect, fromIndex = 0): Promise<LoadedMigration[]> {
  const out = pendingMigrations(sources, dialect, fromIndex);
  for (const m of out) await parsePending(m, sources[m.index]!, dialect);
  return out;
}

/**
 * The migrations with their files still to parse (lite files before
 * `fromIndex`, unreadable ones with their error): the linter parses each
 * just before it lints it and drops its syntax trees after, so a long history
 * never holds every tree at once.
 */
export function pendingMigrations(sources: MigrationSourceText[], dialect: Dialect, fromIndex = 0): LoadedMigration[] {
  return sources.map((source) => {
    const { entry, index, error } = source;
    if (error !== null) return { entry, index, file: null, error };
    if (index < fromIndex) return new UnreadMigration(entry, index, source, dialect);
    return { entry, index, file: null, error: null, pending: true };
  });
}

/**
 * A migration before the cache's catalog: its findings come from the cache, so its file (text only, no statements) is
 * made, and its text read, only when something asks for `file` (the git rules, the Project:exit pass). A class with
 * the accessor on its prototype: a resident re-lint makes one for each of the history's migrations (819 on
 * trigger.dev), and an accessor defined on each object (Object.defineProperty) cost ~2 ms an edit.
 */
class UnreadMigration implements LoadedMigration {
  error = null;
  /** The file once made (or set); undefined while unread. */
  private made: ParsedSqlFile | null | undefined = undefined;

  constructor(
    readonly entry: MigrationEntry,
    readonly index: number,
    private readonly source: MigrationSourceText,
    private readonly dialect: Dialect,
  ) {}

  get file(): ParsedSqlFile | null {
    if (this.made === undefined) this.made = this.dialect.liteFile(this.entry.upPath!, this.source.text!);
    return this.made;
  }

  set file(value: ParsedSqlFile | null) {
    this.made = value;
  }

  get unread(): boolean {
    return this.made === undefined;
  }
}

/** Whether a migration's text-only file has not been made yet (nothing asked for it). */
export function isUnread(m: LoadedMigration): boolean {
  return m instanceof UnreadMigration && m.unread;
}

/** Whether a migration has a file (read or readable): unlike `m.file !== null`, does not read an unread one. */
export function hasFile(m: LoadedMigration): boolean {
  return isUnread(m) || m.file !== null;
}

/** Parses a pending migration in place, with its operations. */
export async function parsePending(m: LoadedMigration, source: MigrationSourceText, dialect: Dialect): Promise<void> {
  if (!m.pending || source.text === null) return;
  const file = await dialect.parseFile(m.entry.upPath!, source.text);
  if (source.encoding) {
    const at = Math.min(source.encoding.offset, file.text.length);
    file.parseErrors.unshift({ kind: "encoding", message: source.encoding.message, range: file.rangeOf(at, Math.min(at + 1, file.text.length)) });
  }
  m.file = file;
  delete m.pending;
}

/** Reads and parses a whole history (default: as PostgreSQL). */
export async function loadMigrations(entries: MigrationEntry[], dialect?: Dialect): Promise<LoadedMigration[]> {
  return parseMigrations(readMigrationSources(entries), dialect ?? (await loadDialect("postgresql")));
}
