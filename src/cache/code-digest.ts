/**
 * What the cache key knows of a rule's code when the rule is not ours (a
 * plugin, a `--rulesdir` file): a new version of it can report what the old
 * one did not, and cached findings of the old one must not hide that.
 *
 * The digest covers the module's own text and, followed statically, every
 * relative import of it (`import ... from "./x.js"`, `import("./x")`,
 * `require("./x")`), and of packages it imports, their name and version. An
 * import whose path is computed at run time is not followed.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

const SPECIFIERS = /\b(?:from\s*|import\s*\(\s*|import\s+|require\s*\(\s*)(["'])([^"'\n]+)\1/g;
const EXTENSIONS = ["", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".json", "/index.js", "/index.mjs", "/index.cjs", "/index.ts"];

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** name@version of the package a bare specifier imported from `from` resolves to, or the specifier when it cannot be found. */
function packageIdentity(specifier: string, from: string): string {
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  if (name.startsWith("node:")) return name;
  // where Node looks for it: node_modules folders from the importing file up (a package's `exports` may hide its package.json from resolve)
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    try {
      const { version } = JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")) as { version?: unknown };
      return `${name}@${String(version)}`;
    } catch {
      // not here
    }
    if (path.dirname(dir) === dir) return name; // a builtin, or not installed: the name alone
  }
}

/** Content hash of `entry` and the code it imports (see above); memoised per entry within `memo`. */
export function codeDigest(entry: string, memo: Map<string, string> = new Map()): string {
  const known = memo.get(entry);
  if (known) return known;
  const hash = createHash("sha1");
  const seen = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      hash.update(`${file}\0unreadable ${(err as NodeJS.ErrnoException).code ?? ""}\0`);
      continue;
    }
    hash.update(`${file}\0${text.length}\0`).update(text);
    for (const [, , specifier] of text.matchAll(SPECIFIERS)) {
      if (specifier!.startsWith(".") || specifier!.startsWith("/")) {
        const base = path.resolve(path.dirname(file), specifier!);
        const found = EXTENSIONS.map((ext) => base + ext).find(isFile);
        if (found) queue.push(found);
        else hash.update(`missing ${base}\0`);
      } else {
        hash.update(`package ${packageIdentity(specifier!, file)}\0`);
      }
    }
  }
  const digest = hash.digest("hex");
  memo.set(entry, digest);
  return digest;
}
