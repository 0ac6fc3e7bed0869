/**
 * Project discovery: find the Prisma schema and migrations folder the way the
 * Prisma CLI does (`--schema`, `prisma.config.*`, `package.json#prisma.schema`,
 * default locations), without executing any project code.
 */
import { lstat, readFile, readdir, stat } from "node:fs/promises";
import type { Dirent } from "node:fs";
import path from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { MigrationLintError, errorMessage } from "../errors.js";
import { compareByteOrder } from "../sources/prisma-migrate.js";
import { observe, observeUnsure } from "./observed.js";
import { walkPrismaFiles, type PrismaFilesWalk } from "./walk-prisma-files.js";

export interface PrismaProject {
  /** Directory discovery was run from (the project root). */
  root: string;
  /** The schema as configured: a .prisma file or a folder of .prisma files (absolute). */
  schemaPath: string;
  /** All .prisma files of the schema (absolute, sorted). For a folder: every *.prisma in it, recursively. */
  schemaFiles: string[];
  /** Absolute migrations folder (may not exist: then `migrationsDirExists` false). */
  migrationsDir: string;
  migrationsDirExists: boolean;
  /** Why there is no migrations folder (a sentence naming it), when `migrationsDirExists` is false. */
  migrationsDirMissing: string | null;
  /** provider read from migrations/migration_lock.toml, or null if the file is missing. */
  lockProvider: string | null;
  /**
   * Set when migration_lock.toml exists but is malformed: message (without
   * the file name, e.g. `"provider" is missing`) + 1-based line.
   */
  lockError: { file: string; message: string; line: number } | null;
  /** prisma.config.ts/.js/.mjs/.cjs/.mts/.cts used, if any (absolute). */
  prismaConfigFile: string | null;
  /** How the schema was found: "flag" | "prisma.config" | "package.json" | "default". */
  schemaSource: string;
  /** Human notes about discovery decisions (e.g. a prisma.config.ts value that could not be read statically). */
  notes: string[];
}

export interface DiscoverOptions {
  cwd: string;
  /** `--schema`: a .prisma file or a folder of them, relative to `cwd`. */
  schema?: string;
  /** `--migrations`: the migrations folder, relative to `cwd`. */
  migrations?: string;
}

/** Config file names Prisma looks for in the project root, in this order. */
export const PRISMA_CONFIG_FILES = [
  "prisma.config.ts",
  "prisma.config.mts",
  "prisma.config.cts",
  "prisma.config.js",
  "prisma.config.mjs",
  "prisma.config.cjs",
] as const;

const LOCK_FILE = "migration_lock.toml";

// ---------------------------------------------------------------------------
// Small filesystem helpers (never throw).

export type Kind = "file" | "dir" | null;

/** "file", "dir", or null when the path does not exist (or is something else). */
export async function kindOf(p: string): Promise<Kind> {
  observe(p, "kind");
  try {
    const s = await stat(p);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

async function readText(p: string): Promise<string | null> {
  observe(p, "content");
  try {
    return await readFile(p, "utf8");
  } catch {
    return null;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `path` relative to `from` for messages, `.` prefixed only when empty. */
function rel(from: string, to: string): string {
  const r = path.relative(from, to);
  return r === "" ? "." : r;
}

/**
 * The files Prisma reads as the schema of a folder: packages/schema-files-loader/src/loadSchemaFiles.ts (prisma/prisma,
 * 6.x and 7.x, `loadSchemaFiles`, which packages/internals/src/cli/getSchema.ts `readSchemaFromDirectory` calls)
 * reads every file whose extension is `.prisma` in the folder and all its subfolders, and skips none: not a
 * `migrations` folder, nor one holding migration_lock.toml. So a migrations folder inside the schema folder
 * (`prisma/schema/migrations`) is read too, as Prisma reads it. Left out, as globby's `**\/*.prisma` left them out
 * before (`dot: false`, `followSymbolicLinks: false`, `node_modules` ignored, `deep: 32`), where Prisma's loader
 * differs: dot-folders and dot-files, `node_modules` (Prisma reads both), symbolic links to folders and to files
 * (Prisma follows both, to their real paths), files more than 32 path segments down (Prisma has no limit), and
 * folders that cannot be read, which are passed over (Prisma fails).
 */
const SCHEMA_FOLDER: PrismaFilesWalk<null> = { maxFolderDepth: 31, skippedFolders: new Set(["node_modules"]) };

/** Every `*.prisma` file of the schema folder `dir` (above), absolute and sorted; each folder read is observed. */
export function listPrismaFiles(dir: string): string[] {
  return walkPrismaFiles(dir, null, SCHEMA_FOLDER).sort(compareByteOrder);
}

const DATASOURCE_RE = /^[ \t]*datasource[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\{/m;

/** The first of `files` (in order) that declares a `datasource` block. */
export async function findDatasourceFile(files: string[]): Promise<string | null> {
  for (const file of files) {
    const text = await readText(file);
    if (text !== null && DATASOURCE_RE.test(text)) return file;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Static reading of prisma.config.* (never executed).

/** A token of the config source; `s`/`e` are its source offsets. */
type Token =
  | { t: "str"; v: string; s: number; e: number }
  | { t: "tpl"; v: string | null; s: number; e: number }
  | { t: "id"; v: string; s: number; e: number }
  | { t: "num"; v: string; s: number; e: number }
  | { t: "p"; v: string; s: number; e: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let start = 0;
  const n = src.length;
  const push = (tok: { t: Token["t"]; v: string | null }): void => {
    tokens.push({ ...tok, s: start, e: i } as Token);
  };
  const readEscape = (): string => {
    // src[i] is the character after the backslash.
    const c = src[i++] ?? "";
    switch (c) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "b": return "\b";
      case "f": return "\f";
      case "v": return "\v";
      case "0": return "\0";
      case "\r": if (src[i] === "\n") i++; return "";
      case "\n": return "";
      case "x": {
        const hex = src.slice(i, i + 2);
        i += 2;
        return String.fromCharCode(parseInt(hex, 16) || 0);
      }
      case "u": {
        if (src[i] === "{") {
          const end = src.indexOf("}", i);
          const cp = parseInt(src.slice(i + 1, end), 16);
          i = end + 1;
          return Number.isFinite(cp) ? String.fromCodePoint(cp) : "";
        }
        const hex = src.slice(i, i + 4);
        i += 4;
        return String.fromCharCode(parseInt(hex, 16) || 0);
      }
      default: return c;
    }
  };
  while (i < n) {
    start = i;
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\uFEFF") { i++; continue; }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let v = "";
      while (i < n && src[i] !== c && src[i] !== "\n") {
        if (src[i] === "\\") { i++; v += readEscape(); } else v += src[i++];
      }
      i++;
      push({ t: "str", v });
      continue;
    }
    if (c === "`") {
      i++;
      let v: string | null = "";
      while (i < n && src[i] !== "`") {
        if (src[i] === "\\") {
          i++;
          const e = readEscape();
          if (v !== null) v += e;
        } else if (src[i] === "$" && src[i + 1] === "{") {
          v = null;
          // Skip the substitution, balancing braces (strings inside are rare in config files).
          let depth = 0;
          i++;
          while (i < n) {
            if (src[i] === "{") depth++;
            else if (src[i] === "}") { depth--; if (depth === 0) { i++; break; } }
            i++;
          }
        } else {
          if (v !== null) v += src[i];
          i++;
        }
      }
      i++;
      push({ t: "tpl", v });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(src[j]!)) j++;
      i = j;
      push({ t: "id", v: src.slice(start, j) });
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(src[j]!)) j++;
      i = j;
      push({ t: "num", v: src.slice(start, j) });
      continue;
    }
    if (c === "." && src[i + 1] === "." && src[i + 2] === ".") {
      i += 3;
      push({ t: "p", v: "..." });
      continue;
    }
    if (c === "=" && src[i + 1] === ">") {
      i += 2;
      push({ t: "p", v: "=>" });
      continue;
    }
    i++;
    push({ t: "p", v: c });
  }
  return tokens;
}

/** Result of evaluating a config expression statically. */
type StaticValue =
  | { kind: "string"; value: string }
  | { kind: "object"; props: Map<string, number>; hasSpread: boolean }
  | { kind: "unknown" };

const UNKNOWN: StaticValue = { kind: "unknown" };
const OPEN = new Set(["(", "[", "{"]);
const CLOSE = new Set([")", "]", "}"]);
const PATH_FUNCS = new Set(["join", "resolve", "normalize"]);

class ConfigReader {
  private readonly tokens: Token[];
  /** Top-level `const x = ...` bindings: name → token index of the initializer. */
  private readonly bindings = new Map<string, number>();
  /** Local names bound to `node:path` / `path` (default or namespace import). */
  private readonly pathNames = new Set<string>(["path"]);
  /** Local names bound to `join`/`resolve`/`normalize` imported from path. */
  private readonly pathFuncNames = new Map<string, string>();

  constructor(
    private readonly src: string,
    private readonly dir: string,
  ) {
    this.tokens = tokenize(src);
    this.scanTopLevel();
  }

  private tok(i: number): Token | undefined {
    return this.tokens[i];
  }

  private isP(i: number, v: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.t === "p" && t.v === v;
  }

  private isId(i: number, v?: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.t === "id" && (v === undefined || t.v === v);
  }

  /** Index just past the balanced group that opens at `i`. */
  private skipGroup(i: number): number {
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const t = this.tokens[j]!;
      if (t.t !== "p") continue;
      if (OPEN.has(t.v)) depth++;
      else if (CLOSE.has(t.v)) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return this.tokens.length;
  }

  /** Index of the next `,` or closing bracket at depth 0 starting from `i`. */
  private skipValue(i: number): number {
    let j = i;
    while (j < this.tokens.length) {
      const t = this.tokens[j]!;
      if (t.t === "p") {
        if (t.v === "," || CLOSE.has(t.v)) return j;
        if (OPEN.has(t.v)) { j = this.skipGroup(j); continue; }
      }
      j++;
    }
    return j;
  }

  /** Indexes of the identifier tokens outside any bracket (the module's top-level statements). */
  private *topLevelIds(): Generator<number> {
    let depth = 0;
    const toks = this.tokens;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.t === "p") {
        if (OPEN.has(t.v)) depth++;
        else if (CLOSE.has(t.v)) depth--;
      } else if (depth === 0 && t.t === "id") {
        yield i;
      }
    }
  }

  private scanTopLevel(): void {
    const toks = this.tokens;
    for (const i of this.topLevelIds()) {
      const t = toks[i]!;
      // import path from "node:path" / import * as path from "path" / import { join as j } from "path"
      if (t.v === "import" && !this.isP(i + 1, ".") && !this.isP(i + 1, "(")) {
        const defaults: string[] = [];
        const named: Array<{ local: string; imported: string }> = [];
        let j = i + 1;
        if (this.isId(j, "type")) j++;
        while (j < toks.length && !this.isId(j, "from") && !this.isP(j, ";")) {
          if (this.isP(j, "*") && this.isId(j + 1, "as") && this.isId(j + 2)) {
            defaults.push((toks[j + 2] as { v: string }).v);
            j += 3;
          } else if (this.isP(j, "{")) {
            const end = this.skipGroup(j);
            for (let k = j + 1; k < end - 1; k++) {
              const it = toks[k];
              if (it?.t !== "id" || it.v === "type") continue;
              if (this.isId(k + 1, "as") && this.isId(k + 2)) {
                named.push({ local: (toks[k + 2] as { v: string }).v, imported: it.v });
                k += 2;
              } else named.push({ local: it.v, imported: it.v });
            }
            j = end;
          } else {
            const tk = toks[j]!;
            if (tk.t === "id") defaults.push(tk.v);
            j++;
          }
        }
        const from = toks[j + 1];
        if (this.isId(j, "from") && from?.t === "str" && /^(node:)?path(\/posix)?$/.test(from.v)) {
          for (const name of defaults) this.pathNames.add(name);
          for (const name of named) if (PATH_FUNCS.has(name.imported)) this.pathFuncNames.set(name.local, name.imported);
        }
        continue;
      }
      if (t.v === "const" || t.v === "let" || t.v === "var") {
        const name = toks[i + 1];
        if (name?.t !== "id") continue;
        // const x: Type = value
        let j = i + 2;
        if (this.isP(j, ":")) {
          while (j < toks.length && !this.isP(j, "=") && !this.isP(j, ";")) {
            const tj = toks[j]!;
            if (tj.t === "p" && OPEN.has(tj.v)) j = this.skipGroup(j);
            else j++;
          }
        }
        if (this.isP(j, "=") && !this.isP(j + 1, "=")) {
          this.bindings.set(name.v, j + 1);
          // `const p = require("path")`
          if (this.isId(j + 1, "require") && this.isP(j + 2, "(")) {
            const arg = toks[j + 3];
            if (arg?.t === "str" && /^(node:)?path(\/posix)?$/.test(arg.v)) this.pathNames.add(name.v);
          }
        }
      }
    }
  }

  /** Token index of the default export's expression, or -1. */
  defaultExportIndex(): number {
    const toks = this.tokens;
    for (const i of this.topLevelIds()) {
      const t = toks[i]!;
      if (t.v === "export" && this.isId(i + 1, "default")) return i + 2;
      if (t.v === "module" && this.isP(i + 1, ".") && this.isId(i + 2, "exports") && this.isP(i + 3, "=")) return i + 4;
      if (t.v === "exports" && this.isP(i + 1, ".") && this.isId(i + 2, "default") && this.isP(i + 3, "=")) return i + 4;
    }
    return -1;
  }

  /** Evaluate the expression starting at token `i`. */
  evaluate(i: number, depth = 0): StaticValue {
    if (depth > 16 || i < 0) return UNKNOWN;
    const [value, end] = this.primary(i, depth);
    if (value.kind === "unknown") return UNKNOWN;
    let result = value;
    let j = end;
    // String concatenation: "a" + "b".
    while (this.isP(j, "+") && result.kind === "string") {
      const [next, nextEnd] = this.primary(j + 1, depth);
      if (next.kind !== "string") return UNKNOWN;
      result = { kind: "string", value: result.value + next.value };
      j = nextEnd;
    }
    // `satisfies T` / `as T` do not change the value; anything else (?., ??, ||, calls) is dynamic.
    const after = this.tok(j);
    if (after === undefined) return result;
    if (after.t === "id") return result; // satisfies / as / next statement without semicolon
    if (after.t === "p" && (after.v === "," || after.v === ";" || CLOSE.has(after.v))) return result;
    if (after.t === "p" && after.v === "!" ) return result; // non-null assertion
    return UNKNOWN;
  }

  private primary(i: number, depth: number): [StaticValue, number] {
    const t = this.tok(i);
    if (!t) return [UNKNOWN, i];
    if (t.t === "str") return [{ kind: "string", value: t.v }, i + 1];
    if (t.t === "tpl") return [t.v === null ? UNKNOWN : { kind: "string", value: t.v }, i + 1];
    if (t.t === "p" && t.v === "(") {
      const v = this.evaluate(i + 1, depth + 1);
      const end = this.skipGroup(i);
      return [v, end];
    }
    if (t.t === "p" && t.v === "{") return [this.objectLiteral(i), this.skipGroup(i)];
    if (t.t !== "id") return [UNKNOWN, i + 1];

    // __dirname, import.meta.dirname, process.cwd()
    if (t.v === "__dirname") return [{ kind: "string", value: this.dir }, i + 1];
    if (t.v === "import" && this.isP(i + 1, ".") && this.isId(i + 2, "meta") && this.isP(i + 3, ".") && this.isId(i + 4, "dirname")) {
      return [{ kind: "string", value: this.dir }, i + 5];
    }
    if (t.v === "process" && this.isP(i + 1, ".") && this.isId(i + 2, "cwd") && this.isP(i + 3, "(") && this.isP(i + 4, ")")) {
      return [{ kind: "string", value: this.dir }, i + 5];
    }
    // defineConfig({...})
    if (t.v === "defineConfig" && this.isP(i + 1, "(")) {
      return [this.evaluate(i + 2, depth + 1), this.skipGroup(i + 1)];
    }
    // path.join(...), path.posix.join(...), join(...)
    let fn: string | null = null;
    let argsAt = -1;
    if (this.pathNames.has(t.v) && this.isP(i + 1, ".")) {
      let k = i + 2;
      if (this.isId(k, "posix") && this.isP(k + 1, ".")) k += 2;
      const name = this.tok(k);
      if (name?.t === "id" && PATH_FUNCS.has(name.v) && this.isP(k + 1, "(")) {
        fn = name.v;
        argsAt = k + 1;
      }
    } else if (this.pathFuncNames.has(t.v) && this.isP(i + 1, "(")) {
      fn = this.pathFuncNames.get(t.v)!;
      argsAt = i + 1;
    }
    if (fn !== null) {
      const end = this.skipGroup(argsAt);
      const args: string[] = [];
      let k = argsAt + 1;
      while (k < end - 1) {
        const v = this.evaluate(k, depth + 1);
        if (v.kind !== "string") return [UNKNOWN, end];
        args.push(v.value);
        k = this.skipValue(k);
        if (this.isP(k, ",")) k++;
      }
      const value =
        fn === "join" ? path.join(...args) :
        fn === "normalize" ? path.normalize(args[0] ?? ".") :
        path.resolve(this.dir, ...args);
      return [{ kind: "string", value }, end];
    }
    // A top-level const.
    const binding = this.bindings.get(t.v);
    if (binding !== undefined && !this.isP(i + 1, "(") && !this.isP(i + 1, ".") && !this.isP(i + 1, "[")) {
      return [this.evaluate(binding, depth + 1), i + 1];
    }
    return [UNKNOWN, i + 1];
  }

  private objectLiteral(i: number): StaticValue {
    const props = new Map<string, number>();
    let hasSpread = false;
    const end = this.skipGroup(i) - 1;
    let k = i + 1;
    while (k < end) {
      if (this.isP(k, ",")) { k++; continue; }
      if (this.isP(k, "...")) {
        hasSpread = true;
        k = this.skipValue(k + 1);
        continue;
      }
      const key = this.tok(k);
      if (key && (key.t === "id" || key.t === "str") && this.isP(k + 1, ":")) {
        props.set(key.v, k + 2);
        k = this.skipValue(k + 2);
        continue;
      }
      if (key?.t === "id" && (this.isP(k + 1, ",") || k + 1 === end)) {
        // Shorthand `{ schema }`: the value is the identifier itself.
        props.set(key.v, k);
        k++;
        continue;
      }
      // Methods, getters, computed keys: skip.
      k = this.skipValue(k + 1);
    }
    return { kind: "object", props, hasSpread };
  }

  /** Source text of the expression at `i` (shortened), for notes. */
  describe(i: number): string {
    const end = this.skipValue(i);
    const first = this.tokens[i];
    const last = this.tokens[end - 1];
    if (!first || !last || end <= i) return "?";
    const text = this.src.slice(first.s, last.e).replace(/\s+/g, " ").trim();
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
}

export interface StaticPrismaConfig {
  /** `schema` as an absolute path; undefined when not set; null when set but not statically readable. */
  schema: string | null | undefined;
  /** `migrations.path` as an absolute path; undefined when not set; null when not statically readable. */
  migrationsPath: string | null | undefined;
  /** Why something could not be read. */
  notes: string[];
}

/**
 * Read `schema` and `migrations.path` of a prisma.config.* file without
 * executing it. Supports string literals, static template literals, `+`
 * concatenation, `path.join/resolve(...)` over such values, `__dirname`,
 * `import.meta.dirname`, `process.cwd()`, top-level `const`s, and the
 * `defineConfig({...})` / `{...} satisfies PrismaConfig` / `export default config` shapes.
 */
export function readPrismaConfigStatically(source: string, configFile: string): StaticPrismaConfig {
  const dir = path.dirname(configFile);
  const name = path.basename(configFile);
  const reader = new ConfigReader(source, dir);
  const notes: string[] = [];
  const start = reader.defaultExportIndex();
  const config = reader.evaluate(start);
  if (config.kind !== "object") {
    notes.push(`${name}: the exported configuration could not be read statically (it is never executed); its "schema" and "migrations.path" are ignored.`);
    return { schema: null, migrationsPath: null, notes };
  }
  const readPath = (at: number | undefined, label: string): string | null | undefined => {
    if (at === undefined) return undefined;
    const v = reader.evaluate(at);
    if (v.kind === "string") return path.resolve(dir, v.value);
    notes.push(`${name}: the value of "${label}" (${reader.describe(at)}) is not a static string; it is ignored.`);
    return null;
  };
  let schema = readPath(config.props.get("schema"), "schema");
  let migrationsPath: string | null | undefined;
  const migrationsAt = config.props.get("migrations");
  if (migrationsAt !== undefined) {
    const migrations = reader.evaluate(migrationsAt);
    if (migrations.kind === "object") {
      migrationsPath = readPath(migrations.props.get("path"), "migrations.path");
      if (migrationsPath === undefined && migrations.hasSpread) {
        notes.push(`${name}: "migrations" uses a spread; "migrations.path" could not be read statically.`);
        migrationsPath = null;
      }
    } else {
      notes.push(`${name}: the value of "migrations" (${reader.describe(migrationsAt)}) is not a static object; "migrations.path" is ignored.`);
      migrationsPath = null;
    }
  }
  if (schema === undefined && config.hasSpread) {
    notes.push(`${name}: the configuration uses a spread; "schema" could not be read statically.`);
    schema = null;
  }
  return { schema, migrationsPath, notes };
}

// ---------------------------------------------------------------------------
// migration_lock.toml

async function readLock(
  migrationsDir: string,
): Promise<{ lockProvider: string | null; lockError: PrismaProject["lockError"] }> {
  const file = path.join(migrationsDir, LOCK_FILE);
  if ((await kindOf(file)) !== "file") return { lockProvider: null, lockError: null };
  const text = await readText(file);
  if (text === null) {
    return { lockProvider: null, lockError: { file, message: "the file could not be read", line: 1 } };
  }
  let data: Record<string, unknown>;
  try {
    data = parseToml(stripBom(text)) as Record<string, unknown>;
  } catch (err) {
    const line = err instanceof TomlError && err.line > 0 ? err.line : 1;
    const message = (errorMessage(err).split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "") || "invalid TOML";
    return { lockProvider: null, lockError: { file, message, line } };
  }
  const provider = data["provider"];
  if (typeof provider === "string" && provider.trim() !== "") return { lockProvider: provider, lockError: null };
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^\s*provider\s*=/.test(l));
  return {
    lockProvider: null,
    lockError: {
      file,
      message: provider === undefined ? `"provider" is missing` : `"provider" must be a non-empty string`,
      line: at >= 0 ? at + 1 : 1,
    },
  };
}

// ---------------------------------------------------------------------------
// Discovery

interface FoundSchema {
  schemaPath: string;
  kind: "file" | "dir";
  source: "flag" | "prisma.config" | "package.json" | "default";
}

async function nearestPackageJson(from: string): Promise<string | null> {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if ((await kindOf(candidate)) === "file") return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function schemaFilesOf(found: FoundSchema): string[] {
  return found.kind === "file" ? [found.schemaPath] : listPrismaFiles(found.schemaPath);
}

/**
 * Migrations folder Prisma uses for a schema: beside the schema file; for a
 * folder schema, beside the .prisma file holding the `datasource` block, else
 * inside the folder, else beside the folder — the first of those that exists,
 * defaulting to the first candidate.
 */
async function defaultMigrationsDir(found: FoundSchema, files: string[]): Promise<string> {
  if (found.kind === "file") return path.join(path.dirname(found.schemaPath), "migrations");
  const datasourceFile = await findDatasourceFile(files);
  const candidates = [
    ...(datasourceFile ? [path.join(path.dirname(datasourceFile), "migrations")] : []),
    path.join(found.schemaPath, "migrations"),
    path.join(path.dirname(found.schemaPath), "migrations"),
  ];
  for (const candidate of candidates) {
    if ((await kindOf(candidate)) === "dir") return candidate;
  }
  return candidates[0]!;
}

const MODEL_BLOCK_RE = /^[ \t]*(?:model|enum|view|type)[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\{/m;

/**
 * Prisma's multi-file layout (GA in 6.7, the `prismaSchemaFolder` preview before): `schema.prisma` holds the
 * datasource and generator, the models are in `.prisma` files beside it or below it (`models/`), and Prisma reads
 * them all only when `--schema`, package.json "prisma.schema" or prisma.config.ts `schema` names the folder. A
 * schema file found on its own that declares no model, enum, view or type, with such files in its folder, is read
 * as that folder (as the project configured for Prisma means, when the config could not be read statically), with
 * a note; named by --schema, the file is kept and the note says how to read the rest.
 */
async function withModelsFolder(found: FoundSchema, root: string, notes: string[]): Promise<FoundSchema> {
  if (found.kind !== "file") return found;
  const text = await readText(found.schemaPath);
  if (text === null || MODEL_BLOCK_RE.test(text)) return found;
  const folder = path.dirname(found.schemaPath);
  const others = listPrismaFiles(folder).filter((file) => file !== found.schemaPath && !isWithinDir(path.join(folder, "migrations"), file));
  if (others.length === 0) return found;
  const where = [...new Set(others.map((file) => rel(root, path.dirname(file))))].join(", ");
  const named = rel(root, found.schemaPath);
  if (found.source === "flag") {
    notes.push(`${named} declares no model; the .prisma files in ${where} are not read with it. Pass --schema ${rel(root, folder)} (the folder) to lint with the whole multi-file schema.`);
    return found;
  }
  notes.push(
    `${named} declares no model and ${where} holds .prisma files: read as the multi-file schema ${rel(root, folder)}/. ` +
      `Prisma reads them only when the folder is configured (prisma.config.ts "schema": "${rel(root, folder)}", or package.json "prisma": { "schema": "${rel(root, folder)}" }); without that, Prisma sees no model in it, and \`prisma migrate dev\` would drop their tables.`,
  );
  return { ...found, schemaPath: folder, kind: "dir" };
}

function isWithinDir(dir: string, file: string): boolean {
  const r = path.relative(dir, file);
  return r !== "" && !r.startsWith("..") && !path.isAbsolute(r);
}

/**
 * Find the Prisma project of `options.cwd`: the schema (`--schema`, then
 * `prisma.config.*`, then the nearest package.json's `prisma.schema`, then
 * `prisma/schema.prisma`, `schema.prisma`, `prisma/schema/`), its migrations
 * folder and the provider of its `migration_lock.toml`.
 *
 * Throws `MigrationLintError` ("usage") for a `--schema` that does not exist
 * and ("project") when no schema can be found or a configured one is missing.
 */
export async function discoverProject(options: DiscoverOptions): Promise<PrismaProject> {
  const root = path.resolve(options.cwd);
  const notes: string[] = [];
  const looked: string[] = [];
  let found: FoundSchema | null = null;

  // prisma.config.* (read even when --schema is given: it may set migrations.path).
  let prismaConfigFile: string | null = null;
  let config: StaticPrismaConfig | null = null;
  for (const name of PRISMA_CONFIG_FILES) {
    const candidate = path.join(root, name);
    if ((await kindOf(candidate)) === "file") {
      prismaConfigFile = candidate;
      break;
    }
  }
  if (prismaConfigFile) {
    const text = await readText(prismaConfigFile);
    if (text === null) {
      notes.push(`${path.basename(prismaConfigFile)} could not be read; it is ignored.`);
    } else {
      config = readPrismaConfigStatically(stripBom(text), prismaConfigFile);
    }
  }

  // 1. --schema
  if (options.schema !== undefined) {
    const schemaPath = path.resolve(root, options.schema);
    const kind = await kindOf(schemaPath);
    if (kind === null) {
      throw new MigrationLintError("usage", `--schema ${options.schema}: no such file or directory (resolved to ${schemaPath})`);
    }
    found = { schemaPath, kind, source: "flag" };
  }

  // 2. prisma.config.*
  if (!found && prismaConfigFile) {
    const configName = path.basename(prismaConfigFile);
    if (config) notes.push(...config.notes);
    if (config && typeof config.schema === "string") {
      const kind = await kindOf(config.schema);
      if (kind === null) {
        throw new MigrationLintError(
          "project",
          `The schema configured in ${configName} does not exist: ${rel(root, config.schema)}`,
          { file: prismaConfigFile },
        );
      }
      found = { schemaPath: config.schema, kind, source: "prisma.config" };
    } else if (config && config.schema === null) {
      looked.push(`${configName} "schema" (not statically readable)`);
    } else {
      looked.push(`${configName} (no "schema")`);
    }
  } else if (found && config) {
    // --schema wins: only notes about other keys matter.
    notes.push(...config.notes.filter((note) => !/value of "schema"|"schema" could not/.test(note)));
  }
  if (!found && !prismaConfigFile) looked.push(`prisma.config.{ts,mts,cts,js,mjs,cjs} (none)`);

  // 3. package.json "prisma": { "schema" } (nearest package.json, like the Prisma CLI).
  if (!found) {
    const pkgFile = await nearestPackageJson(root);
    if (pkgFile) {
      const text = await readText(pkgFile);
      let pkg: unknown = undefined;
      try {
        pkg = text === null ? undefined : JSON.parse(stripBom(text));
      } catch (err) {
        notes.push(`${rel(root, pkgFile)} is not valid JSON (${errorMessage(err)}); its "prisma.schema" is ignored.`);
      }
      const prismaKey = pkg && typeof pkg === "object" ? (pkg as Record<string, unknown>)["prisma"] : undefined;
      const schema = prismaKey && typeof prismaKey === "object" ? (prismaKey as Record<string, unknown>)["schema"] : undefined;
      if (typeof schema === "string" && schema.trim() !== "") {
        const schemaPath = path.resolve(path.dirname(pkgFile), schema);
        const kind = await kindOf(schemaPath);
        if (kind === null) {
          throw new MigrationLintError(
            "project",
            `The schema configured in package.json ("prisma.schema": ${JSON.stringify(schema)}) does not exist: ${schemaPath}`,
            { file: pkgFile },
          );
        }
        found = { schemaPath, kind, source: "package.json" };
      } else {
        if (schema !== undefined) notes.push(`${rel(root, pkgFile)}: "prisma.schema" is not a string; it is ignored.`);
        looked.push(`${rel(root, pkgFile)} "prisma.schema" (not set)`);
      }
    } else {
      looked.push(`package.json (none)`);
    }
  }

  // 4. Default locations.
  if (!found) {
    const file1 = path.join(root, "prisma", "schema.prisma");
    const file2 = path.join(root, "schema.prisma");
    const folder = path.join(root, "prisma", "schema");
    if ((await kindOf(file1)) === "file") found = { schemaPath: file1, kind: "file", source: "default" };
    else if ((await kindOf(file2)) === "file") found = { schemaPath: file2, kind: "file", source: "default" };
    else if ((await kindOf(folder)) === "dir" && listPrismaFiles(folder).length > 0) {
      found = { schemaPath: folder, kind: "dir", source: "default" };
    } else {
      looked.push("prisma/schema.prisma", "schema.prisma", "prisma/schema/ (folder of .prisma files)");
    }
  }

  if (found && found.source !== "flag" && found.source !== "prisma.config" && config?.schema === null && prismaConfigFile) {
    notes.push(`Schema taken from ${found.source === "default" ? "the default location" : found.source} instead: ${rel(root, found.schemaPath)}`);
  }

  if (!found) {
    throw new MigrationLintError(
      "project",
      `Could not find a Prisma schema in ${root}. Looked at: ${looked.join(", ")}. ` +
        `Run migration-lint from the project root, or pass --schema <file-or-folder>.`,
    );
  }

  found = await withModelsFolder(found, root, notes);
  const schemaFiles = schemaFilesOf(found);
  if (schemaFiles.length === 0) {
    const where = found.source === "flag" ? `--schema ${options.schema ?? found.schemaPath}` : rel(root, found.schemaPath);
    throw new MigrationLintError(
      found.source === "flag" ? "usage" : "project",
      `${where}: the schema folder contains no .prisma files`,
      found.source === "prisma.config" && prismaConfigFile ? { file: prismaConfigFile } : undefined,
    );
  }

  // Migrations folder: --migrations > prisma.config migrations.path > beside the schema.
  let migrationsDir: string;
  if (options.migrations !== undefined) {
    migrationsDir = path.resolve(root, options.migrations);
  } else if (config && typeof config.migrationsPath === "string") {
    migrationsDir = config.migrationsPath;
  } else {
    migrationsDir = await defaultMigrationsDir(found, schemaFiles);
  }
  const migrationsKind = await kindOf(migrationsDir);
  const migrationsDirExists = migrationsKind === "dir";
  // a mistyped --migrations or migrations.path must not pass as a clean run with nothing linted: the linter
  // stops on this unless told a project without migrations is expected (then it is a note)
  let migrationsDirMissing: string | null = null;
  if (!migrationsDirExists) {
    observeUnsure();
    const what = migrationsKind === "file" ? " (a file is there, not a folder)" : (await lstat(migrationsDir).catch(() => null))?.isSymbolicLink() ? " (a symbolic link that leads nowhere or loops)" : "";
    migrationsDirMissing = `No migrations folder at ${rel(root, migrationsDir)}${what}: there are no migrations to lint.`;
    notes.push(migrationsDirMissing);
  }
  const lock = migrationsDirExists ? await readLock(migrationsDir) : { lockProvider: null, lockError: null };

  return {
    root,
    schemaPath: found.schemaPath,
    schemaFiles,
    migrationsDir,
    migrationsDirExists,
    migrationsDirMissing,
    lockProvider: lock.lockProvider,
    lockError: lock.lockError,
    prismaConfigFile,
    schemaSource: found.source,
    notes,
  };
}
