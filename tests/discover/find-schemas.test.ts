/**
 * The search for schemas below a monorepo's root (src/discover/find-schemas.ts): the subfolders of a migrations
 * folder are not read, and otherwise it finds what globby's `**\/*.prisma` with `gitignore: true` found (compared
 * with globby itself on random trees), with the projects findProjectsBelow makes of them.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { globby } from "globby";
import { afterEach, describe, expect, it } from "vitest";
import { findSchemaFiles } from "../../src/discover/find-schemas.js";
import { findProjectsBelow } from "../../src/discover/monorepo.js";
import { tempDir, writeTree } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function temp(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  return fs.realpathSync(dir);
}

const SCHEMA = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id Int @id\n}\n`;
const LOCK = `provider = "postgresql"\n`;
const INIT = `CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n`;

/** A package with a Prisma project in `prisma/`, its migrations folder holding `migrations`. */
function prismaPackage(dir: string, migrations: Record<string, string> = { "20240101000000_init/migration.sql": INIT }): Record<string, string> {
  return {
    [`${dir}/package.json`]: `{ "name": "${path.basename(dir)}" }\n`,
    [`${dir}/prisma/schema.prisma`]: SCHEMA,
    [`${dir}/prisma/migrations/migration_lock.toml`]: LOCK,
    ...Object.fromEntries(Object.entries(migrations).map(([file, text]) => [`${dir}/prisma/migrations/${file}`, text])),
  };
}

const relativeTo = (root: string, files: string[]) => files.map((file) => path.relative(root, file)).sort();

describe("findSchemaFiles", () => {
  it("does not read the migration folders of a migrations folder: a .prisma file kept in one is not a schema", async () => {
    const root = await temp();
    await writeTree(root, prismaPackage("packages/db", {
      "20240101000000_init/migration.sql": INIT,
      // a copy of the schema kept with each migration, and a folder below one
      "20240101000000_init/schema.prisma": SCHEMA,
      "20240201000000_more/snapshot/schema.prisma": SCHEMA,
    }));
    expect(relativeTo(root, findSchemaFiles(root))).toEqual(["packages/db/prisma/schema.prisma"]);
    const below = await findProjectsBelow(root);
    expect(below.targets.map((t) => path.relative(root, t.project.migrationsDir))).toEqual(["packages/db/prisma/migrations"]);
    // the copies are not reported as schemas without a migrations folder
    expect(below.passedOver).toEqual([]);
  });

  it("finds a schema beside the migration folders, in the migrations folder itself, and a schema folder beside it", async () => {
    const root = await temp();
    await writeTree(root, {
      // prisma.config.ts: the schema and its migrations in one folder (Prisma reads every subfolder as a migration)
      "apps/api/package.json": `{ "name": "api" }\n`,
      "apps/api/prisma.config.ts": `export default { schema: "db/schema.prisma", migrations: { path: "db" } };\n`,
      "apps/api/db/schema.prisma": SCHEMA,
      "apps/api/db/migration_lock.toml": LOCK,
      "apps/api/db/20240101000000_init/migration.sql": INIT,
      // a multi-file schema folder beside the migrations folder
      "apps/web/package.json": `{ "name": "web", "prisma": { "schema": "prisma/schema" } }\n`,
      "apps/web/prisma/schema/schema.prisma": SCHEMA.replace(/model[\s\S]*/, ""),
      "apps/web/prisma/schema/models/user.prisma": `model User {\n  id Int @id\n}\n`,
      "apps/web/prisma/migrations/migration_lock.toml": LOCK,
      "apps/web/prisma/migrations/20240101000000_init/migration.sql": INIT,
    });
    expect(relativeTo(root, findSchemaFiles(root))).toEqual(["apps/api/db/schema.prisma", "apps/web/prisma/schema/models/user.prisma", "apps/web/prisma/schema/schema.prisma"]);
    const below = await findProjectsBelow(root);
    expect(below.targets.map((t) => [path.relative(root, t.project.schemaPath), path.relative(root, t.project.migrationsDir)])).toEqual([
      ["apps/api/db/schema.prisma", "apps/api/db"],
      ["apps/web/prisma/schema", "apps/web/prisma/migrations"],
    ]);
  });

  it("skips what .gitignore files ignore, from the git root above the folder searched down to the deepest", async () => {
    const root = await temp();
    await writeTree(root, {
      ".git/HEAD": "ref: refs/heads/main\n",
      ".gitignore": "generated/\n*.generated.prisma\n",
      "repo/.gitignore": "/tmp-projects\n",
      ...prismaPackage("repo/packages/db"),
      ...prismaPackage("repo/generated/db"),
      ...prismaPackage("repo/tmp-projects/db"),
      "repo/packages/db/prisma/client.generated.prisma": SCHEMA,
      "repo/packages/db/.gitignore": "!client.generated.prisma\nlegacy/\n",
      ...prismaPackage("repo/packages/db/legacy"),
      // never searched: installed packages, build output, dot-folders
      ...prismaPackage("repo/node_modules/@acme/db"),
      ...prismaPackage("repo/packages/api/dist"),
      ...prismaPackage("repo/.cache/db"),
      // the git root's rules ignore this whole folder: nothing in it is searched
      ...prismaPackage("generated/elsewhere"),
    });
    const repo = path.join(root, "repo");
    // the deeper .gitignore's negation wins over the git root's rule, as in git
    expect(relativeTo(repo, findSchemaFiles(repo))).toEqual(["packages/db/prisma/client.generated.prisma", "packages/db/prisma/schema.prisma"]);
    expect(findSchemaFiles(path.join(root, "generated", "elsewhere"))).toEqual([]);
  });

  it("follows no symbolic link and stops 16 path segments down", async () => {
    const root = await temp();
    const deep = Array.from({ length: 15 }, (_, i) => `d${i + 1}`).join("/");
    await writeTree(root, { "real/schema.prisma": SCHEMA, [`${deep}/found.prisma`]: SCHEMA, [`${deep}/d16/too-deep.prisma`]: SCHEMA });
    fs.symlinkSync(path.join(root, "real"), path.join(root, "linked"));
    fs.symlinkSync(path.join(root, "real", "schema.prisma"), path.join(root, "linked.prisma"));
    expect(relativeTo(root, findSchemaFiles(root))).toEqual([`${deep}/found.prisma`, "real/schema.prisma"]);
  });
});

/** globby's search as findProjectsBelow ran it before, less what lies in a subfolder of a migrations folder. */
async function globbySearch(cwd: string): Promise<string[]> {
  const found = await globby("**/*.prisma", { cwd, absolute: true, gitignore: true, ignore: ["**/node_modules/**", "**/dist/**", "**/.git/**"], dot: false, followSymbolicLinks: false, suppressErrors: true, deep: 16 });
  const inMigration = (file: string) => {
    for (let dir = path.dirname(file); dir !== cwd && dir.startsWith(cwd); dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(path.dirname(dir), "migration_lock.toml"))) return true;
    }
    return false;
  };
  return found.map((file) => path.resolve(file)).filter((file) => !inMigration(file));
}

const FOLDER = fc.constantFrom("a", "b", "sub", "keep", "prisma", "migrations", "20240101000000_init", "generated", "build", "node_modules", "dist", ".cache");
const FILE = fc.constantFrom("schema.prisma", "x.prisma", "keep.prisma", ".dot.prisma", "migration_lock.toml", "note.txt");
const RULE = fc.constantFrom(
  "generated/", "*.prisma", "!keep.prisma", "!schema.prisma", "build", "/a", "a/b/", "b", "**/x.prisma", "!generated/", "keep/", "# comment",
  "x.prisma ", "!b/", "sub/*", "!sub/keep", "/sub", "migrations/*/", "prisma/", "!prisma/", "*", "!*/", "a/**/x.prisma", "!a/", "**/b/*.prisma",
);
const TREE = fc.record({
  gitRoot: fc.boolean(),
  folders: fc.array(fc.array(FOLDER, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }),
  files: fc.array(fc.tuple(fc.nat(), FILE), { maxLength: 14 }),
  ignoreFiles: fc.array(fc.tuple(fc.nat(), fc.array(RULE, { minLength: 1, maxLength: 3 })), { maxLength: 4 }),
  cwd: fc.option(fc.nat(), { nil: undefined }),
});

describe("findSchemaFiles against globby", () => {
  it("finds what globby's gitignore-aware search finds, but for the files in migration folders", async () => {
    await fc.assert(
      fc.asyncProperty(TREE, async (tree) => {
        const root = await temp();
        const folders = ["", ...tree.folders.map((parts) => parts.join("/"))];
        const files: Record<string, string> = tree.gitRoot ? { ".git/HEAD": "ref: refs/heads/main\n" } : {};
        for (const folder of folders) fs.mkdirSync(path.join(root, folder), { recursive: true });
        for (const [at, name] of tree.files) files[path.join(folders[at % folders.length]!, name)] = SCHEMA;
        for (const [at, rules] of tree.ignoreFiles) files[path.join(folders[at % folders.length]!, ".gitignore")] = `${rules.join("\n")}\n`;
        await writeTree(root, files);
        const cwd = path.join(root, tree.cwd === undefined ? "" : folders[tree.cwd % folders.length]!);
        expect(findSchemaFiles(cwd).sort()).toEqual((await globbySearch(cwd)).sort());
      }),
      { numRuns: 60 },
    );
  });
});
