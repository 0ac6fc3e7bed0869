import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { errorMessage, MigrationLintError, thrownValue } from "../errors.js";
import type { Formatter } from "./types.js";
import { didYouMean } from "../did-you-mean.js";

/** Built-in formatters, loaded only when asked for. */
const BUILTIN: Record<string, () => Promise<{ default: Formatter }>> = {
  stylish: () => import("./stylish.js"),
  json: () => import("./json.js"),
  compact: () => import("./compact.js"),
  sarif: () => import("./sarif.js"),
  github: () => import("./github.js"),
  gitlab: () => import("./gitlab.js"),
  junit: () => import("./junit.js"),
  markdown: () => import("./markdown.js"),
  "markdown-summary": () => import("./markdown-summary.js"),
  html: () => import("./html.js"),
};

export const formatterNames = Object.keys(BUILTIN);

/** Prefix of formatter packages: `--format foo` loads `migration-lint-formatter-foo`. */
export const FORMATTER_PACKAGE_PREFIX = "migration-lint-formatter";

/**
 * Loads a formatter the way ESLint does: a built-in name; a path (`./my-formatter.js`,
 * anything with a slash that is not a scoped package), resolved against `cwd`; or a
 * package, found from `cwd`: `foo` and `migration-lint-formatter-foo` both load
 * `migration-lint-formatter-foo`, `@scope/foo` loads `@scope/migration-lint-formatter-foo`,
 * `@scope` loads `@scope/migration-lint-formatter`. The module's default export is the formatter.
 */
export async function loadFormatter(name: string, cwd: string = process.cwd(), load: (name: string, file: string) => Promise<Formatter> = importFormatter): Promise<Formatter> {
  const builtin = Object.hasOwn(BUILTIN, name) ? BUILTIN[name] : undefined;
  if (builtin) return (await builtin()).default;
  if (!name.trim()) throw new MigrationLintError("usage", `Empty format name. Available formats: ${formatterNames.join(", ")}.`);

  if (isPathLike(name)) {
    const file = name.startsWith("file:") ? fileURLToPath(name) : path.resolve(cwd, name);
    if (!isFile(file)) throw new MigrationLintError("usage", `Cannot find formatter "${name}": there is no file at ${file}.`);
    return load(name, file);
  }

  const packageName = formatterPackageName(name);
  const entry = resolvePackage(packageName, cwd);
  if (!entry) {
    throw new MigrationLintError(
      "usage",
      `Unknown format "${name}":${didYouMean(name, formatterNames)} It is not a built-in format (${formatterNames.join(", ")}) and no package "${packageName}" is installed where ${cwd} can see it. A formatter file needs a path, like ./${name}.js.`,
    );
  }
  return load(name, entry);
}

function isPathLike(name: string): boolean {
  if (name.startsWith("file:") || name.startsWith(".") || path.isAbsolute(name)) return true;
  return !name.startsWith("@") && /[/\\]/.test(name);
}

/** `foo` → `migration-lint-formatter-foo`, `@scope/foo` → `@scope/migration-lint-formatter-foo`, `@scope` → `@scope/migration-lint-formatter`. */
export function formatterPackageName(name: string): string {
  const prefixed = (base: string) => (base === FORMATTER_PACKAGE_PREFIX || base.startsWith(`${FORMATTER_PACKAGE_PREFIX}-`) ? base : `${FORMATTER_PACKAGE_PREFIX}-${base}`);
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash < 0) return `${name}/${FORMATTER_PACKAGE_PREFIX}`;
    return `${name.slice(0, slash)}/${prefixed(name.slice(slash + 1))}`;
  }
  return prefixed(name);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The file a bare package specifier loads, looking in `node_modules` from `cwd`
 * up (ESM or CommonJS, with or without `exports`), then from migration-lint itself.
 */
function resolvePackage(packageName: string, cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, "node_modules", ...packageName.split("/"));
    const entry = packageEntry(pkgDir);
    if (entry) return entry;
    if (path.dirname(dir) === dir) break;
  }
  try {
    return fileURLToPath(import.meta.resolve(packageName));
  } catch {
    return undefined;
  }
}

const CONDITIONS = new Set(["node", "import", "default"]);

function packageEntry(pkgDir: string): string | undefined {
  const manifest = path.join(pkgDir, "package.json");
  if (!existsSync(manifest)) return undefined;
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(manifest, "utf8")) as typeof pkg;
  } catch (err) {
    throw new MigrationLintError("usage", `Cannot read ${manifest}: ${errorMessage(err)}`);
  }
  const target = (pkg.exports !== undefined ? exportTarget(pkg.exports) : undefined) ?? (typeof pkg.main === "string" ? pkg.main : "index.js");
  const file = path.resolve(pkgDir, target);
  for (const candidate of [file, `${file}.js`, path.join(file, "index.js")]) if (isFile(candidate)) return candidate;
  return undefined;
}

/** The `.` target of package.json `exports` under the node/import/default conditions. */
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === "string") return exports;
  if (Array.isArray(exports)) {
    for (const item of exports) {
      const target = exportTarget(item);
      if (target) return target;
    }
    return undefined;
  }
  if (!exports || typeof exports !== "object") return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.some((k) => k.startsWith("."))) return map["."] === undefined ? undefined : exportTarget(map["."]);
  for (const key of keys) {
    if (!CONDITIONS.has(key)) continue;
    const target = exportTarget(map[key]);
    if (target) return target;
  }
  return undefined;
}

/** Imports a formatter module (`load` of loadFormatter: the CLI runs it in a watched worker instead, src/cli/formatter-host.ts). */
export async function importFormatter(name: string, file: string): Promise<Formatter> {
  let mod: { default?: unknown };
  try {
    mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new MigrationLintError("usage", `Cannot load formatter "${name}" from ${file}: ${errorMessage(err)}`);
  }
  // CommonJS compiled from ESM puts the function under default.default
  const candidate = typeof mod.default === "function" ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  if (typeof candidate !== "function") {
    throw new MigrationLintError("usage", `Formatter "${name}" (${file}) does not have a default export that is a function of (results, context).`);
  }
  const format = candidate as (...args: Parameters<Formatter>) => unknown;
  return (results, context) => {
    let output: unknown;
    try {
      output = format(results, context);
    } catch (err) {
      throw new MigrationLintError("usage", `Formatter "${name}" (${file}) failed: ${err instanceof Error ? err.message : `it threw ${thrownValue(err)}`}`);
    }
    if (output === undefined || output === null) return "";
    if (typeof output !== "string") {
      const thenable = typeof (output as { then?: unknown }).then === "function";
      // its rejection is reported here, not left to crash the process as an unhandled one
      if (thenable) (output as Promise<unknown>).then(undefined, () => undefined);
      const what = thenable ? "a Promise (async formatters are not supported)" : typeof output;
      throw new MigrationLintError("usage", `Formatter "${name}" (${file}) returned ${what} instead of a string.`);
    }
    return output;
  };
}

export type { Formatter, FormatterContext } from "./types.js";
