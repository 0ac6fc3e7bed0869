import { readFileSync } from "node:fs";

/** Our own version, from package.json (two levels up from src/, three from dist/src/). */
function readVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as { name?: string; version: string };
      if (pkg.name === "migration-lint") return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0-unknown";
}

export const TOOL_VERSION = readVersion();
