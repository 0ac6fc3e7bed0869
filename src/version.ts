import { readFileSync } from "node:fs";

let cached: string | null | undefined;

/**
 * Our own version, from our package.json, or null when it cannot be found: one folder up from
 * src/version.ts, two from dist/src/version.js and from the CLI bundle (dist/cli/).
 */
export function packageVersion(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "migration-lint" && typeof pkg.version === "string") return (cached = pkg.version);
    } catch {
      // try the next location
    }
  }
  return cached;
}

/** The version the cache is keyed by. */
export const TOOL_VERSION = packageVersion() ?? "0.0.0-unknown";
