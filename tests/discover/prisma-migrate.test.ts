import { mkdir, symlink, chmod } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareByteOrder, prismaMigrateSource } from "../../src/sources/prisma-migrate.js";
import { fixture, tempDir, writeTree } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe("prismaMigrateSource", () => {
  it("has a stable id", () => {
    expect(prismaMigrateSource.id).toBe("prisma-migrate");
  });

  it("lists migration folders with migration.sql, down.sql and extra files", async () => {
    const dir = fixture("default", "prisma", "migrations");
    const list = await prismaMigrateSource.list(dir);
    expect(list.map((m) => m.name)).toEqual(["20240101120000_init", "20240215093000_add_post"]);
    expect(list[0]).toEqual({
      name: "20240101120000_init",
      dir: path.join(dir, "20240101120000_init"),
      upPath: path.join(dir, "20240101120000_init", "migration.sql"),
      downPath: null,
      extraFiles: [],
    });
    expect(list[1]!.downPath).toBe(path.join(dir, "20240215093000_add_post", "down.sql"));
    expect(list[1]!.extraFiles).toEqual([path.join(dir, "20240215093000_add_post", "README.md")]);
  });

  it("accepts any folder name (umami-style 01_init)", async () => {
    const list = await prismaMigrateSource.list(fixture("root-schema", "migrations"));
    expect(list.map((m) => m.name)).toEqual(["01_init", "02_add_post"]);
  });

  it("sorts by byte order, skips dot-folders and files, keeps folders without migration.sql", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await writeTree(dir, {
      "migration_lock.toml": 'provider = "postgresql"\n',
      "notes.sql": "SELECT 1;\n",
      "b_second/migration.sql": "SELECT 2;\n",
      "B_upper/migration.sql": "SELECT 0;\n",
      "a_first/migration.sql": "SELECT 1;\n",
      "20240101_x/migration.sql": "SELECT 1;\n",
      "2024010_y/migration.sql": "SELECT 1;\n",
      ".git-keep/migration.sql": "SELECT 1;\n",
      ".DS_Store": "",
      "empty/README.md": "work in progress\n",
    });
    const list = await prismaMigrateSource.list(dir);
    expect(list.map((m) => m.name)).toEqual(["20240101_x", "2024010_y", "B_upper", "a_first", "b_second", "empty"]);
    const empty = list.find((m) => m.name === "empty")!;
    expect(empty.upPath).toBeNull();
    expect(empty.extraFiles).toEqual([path.join(dir, "empty", "README.md")]);
  });

  it("returns [] for a missing folder", async () => {
    expect(await prismaMigrateSource.list(fixture("does-not-exist"))).toEqual([]);
  });

  it("survives symlink loops and dangling links, and lists folder links that cannot be followed with the reason", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await writeTree(dir, { "20240101000000_init/migration.sql": "SELECT 1;\n" });
    await symlink(dir, path.join(dir, "20240101000000_init", "loop"));
    await symlink(path.join(dir, "nowhere"), path.join(dir, "20240202000000_dangling"));
    await symlink(path.join(dir, "a"), path.join(dir, "b"));
    await symlink(path.join(dir, "b"), path.join(dir, "a"));
    const list = await prismaMigrateSource.list(dir);
    expect(list.map((m) => m.name)).toEqual(["20240101000000_init", "20240202000000_dangling", "a", "b"]);
    expect(list[0]!.extraFiles).toEqual([]);
    expect(list.slice(1).map((m) => /broken symbolic link|loops/.exec(m.readError ?? "")?.[0])).toEqual(["broken symbolic link", "loops", "loops"]);
  });

  it("skips unreadable migration folders", async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const { dir, cleanup } = await tempDir();
    cleanups.push(async () => {
      await chmod(path.join(dir, "20240202000000_locked"), 0o755).catch(() => {});
      await cleanup();
    });
    await writeTree(dir, { "20240101000000_init/migration.sql": "SELECT 1;\n" });
    await mkdir(path.join(dir, "20240202000000_locked"));
    await chmod(path.join(dir, "20240202000000_locked"), 0o000);
    const list = await prismaMigrateSource.list(dir);
    expect(list.map((m) => m.name)).toEqual(["20240101000000_init"]);
  });
});

describe("compareByteOrder", () => {
  it("orders by UTF-8 bytes", () => {
    expect(["b", "a", "B", "é", "z"].sort(compareByteOrder)).toEqual(["B", "a", "b", "z", "é"]);
    // U+FF5E (3 bytes) sorts before U+1F600 (4 bytes) in UTF-8, after it in UTF-16.
    expect(["\u{1F600}", "\uFF5E"].sort(compareByteOrder)).toEqual(["\uFF5E", "\u{1F600}"]);
  });
});
