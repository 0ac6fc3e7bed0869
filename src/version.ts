import { readFileSync } from "node:fs";

/** Our own version, from package.json: one folder up from src/version.ts, two from dist/src/version.js and from the CLI bundle (dist/cli/). */
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
