/**
 * Finds and reads the configuration with cosmiconfig (module name
 * `migration-lint`). TypeScript configs are loaded with jiti, the loader
 * ESLint uses for eslint.config.ts; both load only when such a file exists.
 */
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { syntaxErrorLine } from "./syntax-error.js";
import { MigrationLintError, errorMessage, thrownValue } from "../errors.js";
import type { MigrationLintConfig } from "./types.js";
import { observe } from "../discover/observed.js";

export const CONFIG_FILES = [
  "package.json",
  ".migration-lintrc",
  ".migration-lintrc.json",
  ".migration-lintrc.yaml",
  ".migration-lintrc.yml",
  "migration-lint.config.js",
  "migration-lint.config.mjs",
  "migration-lint.config.cjs",
  "migration-lint.config.ts",
  "migration-lint.config.mts",
  "migration-lint.config.cts",
];

/** A TypeScript module's default export, loaded with jiti (configs, and `--rulesdir` rule files). */
export async function loadTypeScript(filepath: string): Promise<unknown> {
  const { createJiti } = await import("jiti");
  const jiti = createJiti(import.meta.url, { interopDefault: true });
  return jiti.import(filepath, { default: true });
}

/** ESM/CJS configs through import() alone: cosmiconfig's require() fallback hides the real SyntaxError. */
async function loadJavaScript(filepath: string): Promise<unknown> {
  const mod = (await import(pathToFileURL(filepath).href)) as { default?: unknown };
  return mod.default;
}

/** A config file that failed to load, with the file it was. */
class ConfigLoadError extends Error {
  constructor(readonly filepath: string, readonly original: unknown) {
    super(errorMessage(original));
  }
}

type Loader = (filepath: string, content: string) => unknown;
const withFile = (loader: Loader): Loader => async (filepath, content) => {
  try {
    return await loader(filepath, content);
  } catch (err) {
    throw new ConfigLoadError(filepath, err);
  }
};

/**
 * Searches from `cwd` up to the repository root (the nearest folder with
 * `.git`, else the filesystem root), or loads `configFile` when given.
 */
export async function findConfig(options: { cwd: string; configFile?: string }): Promise<{ config: MigrationLintConfig; filepath: string } | null> {
  // most projects have no config file: then cosmiconfig (and its YAML and JSON parsers, ~200 KB of code) is not loaded
  if (!options.configFile && !mayFindConfig(options.cwd)) return null;
  // cosmiconfig is CommonJS: Node gives its exports as named ones, a bundle (dist/cli) only as the default
  const mod = await import("cosmiconfig");
  const { cosmiconfig, defaultLoaders } = "cosmiconfig" in mod ? mod : (mod as { default: typeof mod }).default;
  const loaders: Record<string, Loader> = {
    ".json": withFile(defaultLoaders[".json"]),
    ".yaml": withFile(defaultLoaders[".yaml"]),
    ".yml": withFile(defaultLoaders[".yml"]),
    noExt: withFile(defaultLoaders.noExt),
  };
  for (const ext of [".js", ".mjs", ".cjs"]) loaders[ext] = withFile(loadJavaScript);
  for (const ext of [".ts", ".mts", ".cts"]) loaders[ext] = withFile(loadTypeScript);
  const explorer = cosmiconfig("migration-lint", {
    searchPlaces: CONFIG_FILES,
    searchStrategy: "global",
    stopDir: repositoryRoot(options.cwd),
    loaders,
    cache: false,
  });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    if (options.configFile) {
      const file = path.resolve(options.cwd, options.configFile);
      if (!fs.existsSync(file)) throw new MigrationLintError("usage", `Config file not found: ${file}`);
      found = await explorer.load(file);
    } else {
      found = await explorer.search(options.cwd);
    }
  } catch (err) {
    if (err instanceof MigrationLintError) throw err;
    const file = err instanceof ConfigLoadError ? err.filepath : options.configFile && path.resolve(options.cwd, options.configFile);
    const original = err instanceof ConfigLoadError ? err.original : err;
    const described = describeLoadError(original);
    const line = described.line ?? (file ? syntaxErrorLine(file, original) ?? undefined : undefined);
    const { reason } = described;
    throw new MigrationLintError("config", `Cannot read configuration: ${reason}`, { ...(file ? { file } : {}), ...(line ? { line } : {}) });
  }
  if (!found) return null;
  // what it read (a change while it read shows as a change less than RACY_MS old: src/cli/record-run.ts keeps no such run)
  observe(found.filepath, "content");
  let config: unknown = found.config ?? {};
  if (config && typeof config === "object" && "default" in config && Object.keys(config).length === 1) config = (config as { default: unknown }).default;
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    throw new MigrationLintError("config", "The configuration must be an object.", { file: found.filepath });
  }
  return { config: config as MigrationLintConfig, filepath: found.filepath };
}

/**
 * The config file a search from `cwd` would load (as findConfig searches; a package.json counts when it has a
 * "migration-lint" key), found without loading it: a JavaScript or TypeScript config is code, and the CLI runs
 * code it did not write only under supervision.
 */
export function locateConfigFile(options: { cwd: string; configFile?: string }): string | null {
  if (options.configFile) return path.resolve(options.cwd, options.configFile);
  return searchPlaceInUse(options.cwd, false);
}

/** The first search place from `cwd` up to the repository root that holds a file; a package.json counts with a "migration-lint" key, or (`brokenPackage`) when it is not JSON. */
function searchPlaceInUse(cwd: string, brokenPackage: boolean): string | null {
  const stop = repositoryRoot(cwd);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      observe(file, name === "package.json" ? "content" : "kind");
      if (!fs.existsSync(file)) continue;
      if (name !== "package.json") return file;
      try {
        if ((JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null)?.["migration-lint"] !== undefined) return file;
      } catch {
        // not JSON: cosmiconfig reports it when it loads the file
        if (brokenPackage) return file;
      }
    }
    if (dir === stop || path.dirname(dir) === dir) return null;
  }
}

/** A config file whose loading runs its code. */
export const isCodeConfig = (file: string): boolean => /\.[cm]?[jt]s$/.test(file);

/**
 * Whether reading the configuration from `cwd` may run code, checked without loading anything: a JavaScript or
 * TypeScript config; a data config that pulls in another file with cosmiconfig's `$import`; a cosmiconfig meta
 * config in the process's folder (`.config/config.*`, or a "cosmiconfig" key in package.json or package.yaml),
 * which can add search places and is itself loaded; or, when no project config is found, any file in the
 * global config folder (`$XDG_CONFIG_HOME/migration-lint/config.mjs` and the like). When in doubt, yes: the
 * CLI then reads the configuration in its supervised worker.
 */
export function configMayRunCode(options: { cwd: string; configFile?: string }): boolean {
  if (hasMetaConfig(process.cwd())) return true;
  const located = locateConfigFile(options);
  if (!located) return globalConfigExists();
  if (isCodeConfig(located)) return true;
  observe(located, "content");
  try {
    return fs.readFileSync(located, "utf8").includes("$import");
  } catch {
    return false; // unreadable: loading it fails with its own error, running nothing
  }
}

/**
 * Whether cosmiconfig's search from `cwd` may find anything, checked with a few existsSync calls a folder: no search
 * place from `cwd` up to the repository root exists (a package.json that parses without a "migration-lint" key does not count),
 * no meta config can add search places, and there is no global config folder. Where in doubt (an empty file, which
 * cosmiconfig passes over; a folder of a config file's name), yes: cosmiconfig then searches as before.
 */
export function mayFindConfig(cwd: string): boolean {
  return hasMetaConfig(process.cwd()) || searchPlaceInUse(cwd, true) !== null || globalConfigExists();
}

function globalConfigExists(): boolean {
  const folder = globalConfigFolder();
  observe(folder, "kind");
  return fs.existsSync(folder);
}

function hasMetaConfig(dir: string): boolean {
  observe(path.join(dir, ".config"), "kind");
  if (fs.existsSync(path.join(dir, ".config"))) {
    for (const name of ["config", "config.json", "config.yaml", "config.yml", "config.js", "config.ts", "config.cjs", "config.mjs"]) {
      observe(path.join(dir, ".config", name), "kind");
      if (fs.existsSync(path.join(dir, ".config", name))) return true;
    }
  }
  observe(path.join(dir, "package.json"), "content");
  observe(path.join(dir, "package.yaml"), "content");
  // the meta config is a top-level "cosmiconfig" key; a dependency on the cosmiconfig package is not one
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as unknown;
    if (pkg !== null && typeof pkg === "object" && Object.hasOwn(pkg, "cosmiconfig")) return true;
  } catch {
    // no such file, or not JSON (cosmiconfig reports that when it reads it)
  }
  try {
    if (/^["']?cosmiconfig["']?\s*:/m.test(fs.readFileSync(path.join(dir, "package.yaml"), "utf8"))) return true;
  } catch {
    // no such file
  }
  return false;
}

/** The folder cosmiconfig's global search reads (env-paths' config folder for "migration-lint", as cosmiconfig 9 computes it). */
function globalConfigFolder(): string {
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Preferences", "migration-lint");
  if (process.platform === "win32") return path.join(process.env.APPDATA || path.join(home, "AppData", "Roaming"), "migration-lint", "Config");
  return path.join(process.env.XDG_CONFIG_HOME || path.join(home, ".config"), "migration-lint");
}

function repositoryRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    observe(path.join(dir, ".git"), "kind");
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

/**
 * The parser's own reason and line. cosmiconfig's JSON/YAML errors start with
 * "JSON Error in <file>:" and carry a code frame (`> 4 | ...`); YAML ones say `(4:7)`.
 */
export function describeLoadError(err: unknown): { reason: string; line?: number } {
  // `throw null`, `throw 42`, `throw { code }`: user code may throw anything
  if (!(err instanceof Error)) return { reason: `it threw ${thrownValue(err)} instead of an Error` };
  // parse-json colours its code frame when it thinks the terminal can (CI=true does that)
  const lines = stripVTControlCharacters(errorMessage(err)).split("\n").map((l) => l.trim());
  const body = lines.filter((l) => l && !/^(JSON|YAML) Error in /.test(l) && !/^>?\s*\d+\s*\|/.test(l) && !/^\|/.test(l));
  const text = lines.join("\n");
  // parse-json's code frame (`> 4 |`), js-yaml's `(3:1)`, jiti's (TypeScript configs) trailing `/path/file.ts:2:0`
  const line =
    /^>\s*(\d+)\s*\|/m.exec(text)?.[1] ??
    /\((\d+):\d+\)/.exec(text)?.[1] ??
    /\.[cm]?[jt]s:(\d+):\d+$/m.exec(text)?.[1] ??
    (err as { mark?: { line?: number } }).mark?.line;
  const reason = body[0] ?? "the file could not be loaded";
  return { reason, ...(line !== undefined ? { line: Number(line) } : {}) };
}
