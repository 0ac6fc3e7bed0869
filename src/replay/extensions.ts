/**
 * PGlite loads extensions at start-up only: scan the history for
 * `CREATE EXTENSION` first, then start PGlite with the matching bundles of its
 * contrib set (`@electric-sql/pglite/contrib/<name>`, plus `vector` where the
 * installed PGlite ships it). A name PGlite does not bundle is left out; the
 * migration that creates it then fails with "extension ... is not available",
 * which replay reports as a clear finding at that statement.
 */
import type { Extension } from "@electric-sql/pglite";

const CREATE_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$-]*))/gi;

/**
 * Extension names a script creates (lower-cased unless quoted), in order of
 * appearance. Comments are skipped; dynamic SQL (`EXECUTE 'CREATE EXTENSION ...'`
 * in a DO block) is found too, since a string literal is searched like code.
 */
export function extensionNames(script: string): string[] {
  const names: string[] = [];
  const code = script.replace(/--[^\r\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ");
  for (const match of code.matchAll(CREATE_EXTENSION)) {
    const name = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.toLowerCase();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Extensions every PGlite has without loading a bundle. */
const BUILT_IN = new Set(["plpgsql"]);

export interface PgliteExtensions {
  /** The `extensions` option for PGlite. */
  extensions: Record<string, Extension>;
  /** Names PGlite cannot provide. */
  unavailable: string[];
}

export async function loadPgliteExtensions(names: Iterable<string>): Promise<PgliteExtensions> {
  const extensions: Record<string, Extension> = {};
  const unavailable: string[] = [];
  for (const name of new Set(names)) {
    if (BUILT_IN.has(name)) continue;
    const extension = await importExtension(name);
    if (extension) extensions[name.replace(/-/g, "_")] = extension;
    else unavailable.push(name);
  }
  return { extensions, unavailable };
}

async function importExtension(name: string): Promise<Extension | null> {
  // Only plain names reach the module specifier (no path tricks from a migration file).
  if (!/^[a-z0-9_-]+$/.test(name)) return null;
  const exportName = name.replace(/-/g, "_");
  const specifiers = name === "vector" ? ["@electric-sql/pglite/vector"] : [`@electric-sql/pglite/contrib/${exportName}`];
  for (const specifier of specifiers) {
    try {
      const mod = (await import(specifier)) as Record<string, unknown>;
      const extension = mod[exportName] ?? mod.default;
      if (extension && typeof extension === "object" && "setup" in extension) return extension as Extension;
    } catch {
      // not bundled with this PGlite
    }
  }
  return null;
}
