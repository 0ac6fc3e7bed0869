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

let digest: string | null | undefined;

/**
 * The sha1 of the built code (dist/code-digest.json, which `npm run build` writes last, scripts/code-digest.mjs),
 * or null when running from the TypeScript sources. One folder up from dist/src/version.js and from the CLI
 * bundle (dist/cli/); read once.
 */
export function builtCodeDigest(): string | null {
  if (digest !== undefined) return digest;
  try {
    const { digest: value } = JSON.parse(readFileSync(new URL("../code-digest.json", import.meta.url), "utf8")) as { digest?: unknown };
    digest = typeof value === "string" ? value : null;
  } catch {
    digest = null;
  }
  return digest;
}
