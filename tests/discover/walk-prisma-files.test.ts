/**
 * The listing of a multi-file schema folder (`listPrismaFiles`, src/discover/walk-prisma-files.ts): it finds what
 * globby's `**\/*.prisma` (`followSymbolicLinks: false`, `dot: false`, `node_modules` ignored, `deep: 32`) found,
 * in the same order (compared with globby itself on random trees: nesting, dot entries, node_modules, symbolic links
 * to files and folders, broken links, folders that cannot be read), and tells src/discover/observed.ts of every
 * folder it read, so a run with a folder schema can be replayed and a resident discovery kept.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { globby } from "globby";
import { afterEach, describe, expect, it } from "vitest";
import { observing } from "../../src/discover/observed.js";
import { listPrismaFiles } from "../../src/discover/project.js";
import { compareByteOrder } from "../../src/sources/prisma-migrate.js";
import { tempDir, writeTree } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function temp(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(async () => {
    makeReadable(dir); // folders made unreadable, to be removed
    await cleanup();
  });
  return fs.realpathSync(dir);
}

function makeReadable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) makeReadable(path.join(dir, entry.name));
}

/** listPrismaFiles as it was: globby, its paths resolved and sorted by code unit. */
async function globbyListing(dir: string): Promise<string[]> {
  try {
    const files = await globby("**/*.prisma", { cwd: dir, absolute: true, followSymbolicLinks: false, dot: false, ignore: ["**/node_modules/**"], suppressErrors: true, deep: 32 });
    return files.map((f) => path.resolve(f)).sort(compareByteOrder);
  } catch {
    return [];
  }
}

const SCHEMA = "model A {\n  id Int @id\n}\n";
const canRestrict = process.getuid?.() !== 0 && process.platform !== "win32";

const FOLDER = fc.constantFrom("a", "b", "models", "migrations", "20240101000000_init", "node_modules", ".hidden", "x.prisma", "a b", "[x]", "{a,b}", "(y)", "!z", "*", "é", "#h");
const FILE = fc.constantFrom("schema.prisma", "b.prisma", ".dot.prisma", ".prisma", "x.PRISMA", "x.prisma.bak", "migration_lock.toml", "note.txt", "[1].prisma", "*.prisma", "a b.prisma", "é.prisma", "!n.prisma", "{c}.prisma", "node_modules");
const TREE = fc.record({
  folders: fc.array(fc.array(FOLDER, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }),
  files: fc.array(fc.tuple(fc.nat(), FILE), { maxLength: 14 }),
  // a symbolic link in a folder, named, to a file or a folder of the tree or to nothing
  links: fc.array(fc.record({ at: fc.nat(), name: fc.constantFrom("link.prisma", "linked", "node_modules", ".l.prisma", "loop"), to: fc.oneof(fc.record({ file: fc.nat() }), fc.record({ folder: fc.nat() }), fc.constant({ nowhere: true })) }), { maxLength: 5 }),
  // a chain of folders around the depth limit, with a .prisma file in each
  chain: fc.option(fc.integer({ min: 28, max: 35 }), { nil: undefined }),
  unreadable: fc.array(fc.nat(), { maxLength: canRestrict ? 2 : 0 }),
  start: fc.option(fc.nat(), { nil: undefined }),
  startThroughLink: fc.boolean(),
});

describe("listPrismaFiles against globby", () => {
  it("globby returned no symbolic link, not even to a .prisma file, and no broken one", async () => {
    const root = await temp();
    await writeTree(root, { "schema/a.prisma": SCHEMA, "elsewhere/b.prisma": SCHEMA, "schema/sub/c.prisma": SCHEMA });
    fs.symlinkSync(path.join(root, "elsewhere", "b.prisma"), path.join(root, "schema", "b.prisma"));
    fs.symlinkSync(path.join(root, "elsewhere"), path.join(root, "schema", "models"));
    fs.symlinkSync(path.join(root, "nowhere.prisma"), path.join(root, "schema", "broken.prisma"));
    const expected = [path.join(root, "schema", "a.prisma"), path.join(root, "schema", "sub", "c.prisma")];
    expect(await globbyListing(path.join(root, "schema"))).toEqual(expected);
    expect(listPrismaFiles(path.join(root, "schema"))).toEqual(expected);
  });

  it("finds what globby found, in the same order, on random trees", async () => {
    await fc.assert(
      fc.asyncProperty(TREE, async (tree) => {
        const root = await temp();
        const folders = ["", ...tree.folders.map((parts) => parts.join("/"))];
        const files: Record<string, string> = {};
        for (const folder of folders) fs.mkdirSync(path.join(root, folder), { recursive: true });
        for (const [at, name] of tree.files) {
          const file = path.join(folders[at % folders.length]!, name);
          if (!fs.existsSync(path.join(root, file))) files[file] = SCHEMA;
        }
        if (tree.chain !== undefined) {
          for (let depth = 1, chain = "c"; depth <= tree.chain; depth++, chain += "/c") files[`${chain}/d${depth}.prisma`] = SCHEMA;
        }
        await writeTree(root, files);
        const fileList = Object.keys(files);
        for (const { at, name, to } of tree.links) {
          const link = path.join(root, folders[at % folders.length]!, name);
          if (fs.existsSync(link) || isLink(link)) continue;
          const target = "file" in to && fileList.length > 0 ? path.join(root, fileList[to.file % fileList.length]!) : "folder" in to ? path.join(root, folders[to.folder % folders.length]!) : path.join(root, "nowhere");
          fs.symlinkSync(target, link);
        }
        const start = path.join(root, tree.start === undefined ? "" : folders[tree.start % folders.length]!);
        let cwd = start;
        if (tree.startThroughLink) {
          cwd = path.join(path.dirname(root), `${path.basename(root)}-start`);
          fs.symlinkSync(start, cwd);
          cleanups.push(async () => fs.rmSync(cwd));
        }
        // the deepest first: a folder in an unreadable one cannot be changed
        const unreadable = [...new Set(tree.unreadable.map((at) => path.join(root, folders[at % folders.length]!)))].sort((a, b) => b.length - a.length);
        for (const folder of unreadable) fs.chmodSync(folder, 0o000);
        const expected = await globbyListing(cwd);
        expect(listPrismaFiles(cwd)).toEqual(expected);
      }),
      { numRuns: Number(process.env.RUNS ?? 150) },
    );
  }, 60_000);
});

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

describe("listPrismaFiles where globby was wrong", () => {
  it("a name with a backslash: the file, where globby named a path that does not exist", async () => {
    const root = await temp();
    await writeTree(root, { "schema/a\\b/c.prisma": SCHEMA, "schema/d\\e.prisma": SCHEMA });
    const files = [path.join(root, "schema", "a\\b", "c.prisma"), path.join(root, "schema", "d\\e.prisma")];
    expect(await globbyListing(path.join(root, "schema"))).toEqual([path.join(root, "schema", "a", "b", "c.prisma"), path.join(root, "schema", "d", "e.prisma")]);
    expect(listPrismaFiles(path.join(root, "schema"))).toEqual(files);
    for (const file of files) expect(fs.existsSync(file)).toBe(true);
  });
});

describe("listPrismaFiles tells what it read", () => {
  it("observes each folder it lists as read, none it passes over, and nothing unsure", async () => {
    const root = await temp();
    await writeTree(root, { "schema/main.prisma": SCHEMA, "schema/models/user.prisma": SCHEMA, "schema/migrations/20240101000000_init/migration.sql": "SELECT 1;\n", "schema/migrations/migration_lock.toml": 'provider = "postgresql"\n', "schema/.cache/x.prisma": SCHEMA, "schema/node_modules/y.prisma": SCHEMA });
    fs.symlinkSync(path.join(root, "schema", "models"), path.join(root, "schema", "linked"));
    const seen: string[] = [];
    let unsure = false;
    const files = await observing({ path: (file, what) => void seen.push(`${what} ${path.relative(root, file)}`), unsure: () => void (unsure = true) }, async () => listPrismaFiles(path.join(root, "schema")));
    expect(files).toEqual([path.join(root, "schema", "main.prisma"), path.join(root, "schema", "models", "user.prisma")]);
    expect(unsure).toBe(false);
    // Prisma reads the migrations folder's subfolders as schema folders too (src/discover/project.ts): listed
    expect(seen.sort()).toEqual(["content schema", "content schema/migrations", "content schema/migrations/20240101000000_init", "content schema/models"]);
  });
});
