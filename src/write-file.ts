/**
 * Every file migration-lint writes (the report of `-o`, the cache, the baseline, replay snapshots) goes through here, so that
 * none of them can overwrite a file it must not, and every failure is one line naming the file.
 */
import { lstatSync, mkdirSync, readSync, openSync, closeSync, statSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import path from "node:path";
import { MigrationLintError, errorMessage } from "./errors.js";

/** "no space left on device (ENOSPC)" rather than Node's "ENOSPC: no space left on device, write". */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== "string") return errorMessage(err);
  const reason = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
  return `${reason} (${e.code})`;
}

/**
 * Creates the folders missing above `file`, one level at a time. `mkdir -p` semantics through Node's
 * recursive mkdir loop forever (100% CPU) where a folder cannot be created, such as under /proc; here the
 * first folder that cannot be made, or an ancestor that is a file, is an error naming it.
 */
export function ensureParentFolders(file: string, what: string): void {
  const missing: string[] = [];
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    let stat;
    try {
      stat = statSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw new MigrationLintError("usage", `Cannot write ${what}: the folder ${dir} cannot be used: ${describeFsError(err)}`, { file });
      missing.push(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new MigrationLintError("usage", `Cannot write ${what}: ${dir} is a file, not a folder.`, { file });
    break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && statSync(folder).isDirectory()) continue;
      throw new MigrationLintError("usage", `Cannot write ${what}: cannot create the folder ${folder}: ${describeFsError(err)}`, { file });
    }
  }
}

/** The first `size` bytes of a regular file, or null when there is no regular file at `file`. */
export function headOf(file: string, size: number): Buffer | null {
  let fd: number;
  try {
    if (!statSync(file).isFile()) return null;
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(size);
    return buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Extensions and names of files that are someone's source, never a report: `-o` refuses to overwrite them.
 * Reports (.txt, .json, .sarif, .xml, .md, .html, .log, no extension) are overwritten, as ESLint does.
 */
const SOURCE_EXTENSIONS = new Set([".prisma", ".sql", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".toml", ".yaml", ".yml", ".lock", ".env"]);
const SOURCE_NAMES = /^(package\.json|package-lock\.json|npm-shrinkwrap\.json|tsconfig(\..*)?\.json|\.env(\..*)?|readme(\..*)?|license(\..*)?|changelog(\..*)?|\.migration-lintrc(\..*)?|\.migration-lint-cache|\.migration-lint-baseline\.json)$/i;

/** Why `-o` must not overwrite an existing `file`, or null when it may (no file, a report, a device or pipe). */
export function reasonNotToOverwrite(file: string, inputs: ReadonlySet<string>): string | null {
  let stat;
  try {
    stat = lstatSync(file);
    if (stat.isSymbolicLink()) stat = statSync(file);
  } catch {
    return null; // nothing there (or a dangling link, which writing creates)
  }
  if (stat.isDirectory()) return "it is a folder";
  if (!stat.isFile()) return null; // /dev/stdout, /dev/null, a pipe
  const resolved = path.resolve(file);
  if (inputs.has(resolved)) return "it is one of the files this run reads";
  const base = path.basename(resolved);
  if (SOURCE_EXTENSIONS.has(path.extname(base).toLowerCase()) || SOURCE_NAMES.test(base)) return "it is a source file, not a report";
  return null;
}

/**
 * Writes the report of `-o` piece by piece. A write that fails part-way (a full disk) removes the
 * partial file rather than leave a truncated report that looks like a complete one.
 */
export async function writeReportFile(file: string, pieces: Iterable<string> | AsyncIterable<string>, inputs: ReadonlySet<string>): Promise<void> {
  const what = "the report";
  const refusal = reasonNotToOverwrite(file, inputs);
  if (refusal) throw new MigrationLintError("usage", `Refusing to write the report over this file: ${refusal}. Choose another path.`, { file });
  ensureParentFolders(file, what);
  let handle;
  try {
    handle = await open(file, "w");
  } catch (err) {
    throw new MigrationLintError("usage", `Cannot write ${what}: ${describeFsError(err)}`, { file });
  }
  const regular = (await handle.stat()).isFile();
  const abandon = async () => {
    await handle.close().catch(() => undefined);
    if (regular) await rm(file, { force: true }).catch(() => undefined);
  };
  try {
    for await (const piece of pieces) {
      try {
        await handle.write(piece);
      } catch (err) {
        throw new MigrationLintError("usage", `Cannot write ${what}: ${describeFsError(err)}`, { file });
      }
    }
  } catch (err) {
    await abandon();
    throw err;
  }
  await handle.close();
}

/**
 * Writes `data` to `file` whole or not at all: into a temporary file beside it, then renamed over it, so a
 * failure part-way (a full disk) leaves the previous file as it was, never a truncated one. The folders above
 * it are created first. A failure is one MigrationLintError naming the file (the temporary file is removed).
 */
export function writeFileAtomically(file: string, data: string | Uint8Array, what: string): void {
  ensureParentFolders(file, what);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    try {
      writeFileSync(temp, data);
    } catch (err) {
      // a folder we may not create files in, holding a file we may write (a shared baseline): written in place, as before
      if ((err as NodeJS.ErrnoException).code !== "EACCES" && (err as NodeJS.ErrnoException).code !== "EPERM") throw err;
      writeFileSync(file, data);
      return;
    }
    renameSync(temp, file);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw new MigrationLintError("usage", `Cannot write ${what}: ${describeFsError(err)}`, { file });
  }
}
