/**
 * Finds and reads the configuration with cosmiconfig (module name
 * `migration-lint`). TypeScript configs are loaded with jiti, the loader
 * ESLint uses for eslint.config.ts; both load only when such a file exists.
 */
import path from "node:path";
import fs from "node:fs";
import { MigrationLintError, errorMessage } from "../errors.js";
import type { MigrationLintConfig } from "./types.js";

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

async function loadTypeScript(filepath: string): Promise<unknown> {
  const { createJiti } = await import("jiti");
  const jiti = createJiti(import.meta.url, { interopDefault: true });
  return jiti.import(filepath, { default: true });
}

/**
 * Searches from `cwd` up to the repository root (the nearest folder with
 * `.git`, else the filesystem root), or loads `configFile` when given.
 */
export async function findConfig(options: { cwd: string; configFile?: string }): Promise<{ config: MigrationLintConfig; filepath: string } | null> {
  const { cosmiconfig } = await import("cosmiconfig");
  const explorer = cosmiconfig("migration-lint", {
    searchPlaces: CONFIG_FILES,
    searchStrategy: "global",
    stopDir: repositoryRoot(options.cwd),
    loaders: { ".ts": loadTypeScript, ".mts": loadTypeScript, ".cts": loadTypeScript },
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
    const { file, line } = errorLocation(err);
    throw new MigrationLintError("config", `Cannot read configuration: ${firstLine(errorMessage(err))}`, { file: file ?? options.configFile, line });
  }
  if (!found) return null;
  let config: unknown = found.config ?? {};
  if (config && typeof config === "object" && "default" in config && Object.keys(config).length === 1) config = (config as { default: unknown }).default;
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    throw new MigrationLintError("config", "The configuration must be an object.", { file: found.filepath });
  }
  return { config: config as MigrationLintConfig, filepath: found.filepath };
}

function repositoryRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

function firstLine(message: string): string {
  return message.split("\n").find((l) => l.trim())?.trim() ?? message;
}

/** cosmiconfig wraps JSON/YAML errors; pull out the file and line where it says them. */
function errorLocation(err: unknown): { file?: string; line?: number } {
  const message = errorMessage(err);
  const file = /(?:JSON Error in|YAML Error in|Error in) ([^:\n]+):/.exec(message)?.[1];
  const line = /line (\d+)/i.exec(message)?.[1] ?? /\((\d+):\d+\)/.exec(message)?.[1];
  return { ...(file ? { file } : {}), ...(line ? { line: Number(line) } : {}) };
}
