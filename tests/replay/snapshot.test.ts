/** --replay --cache on PGlite: the replayed schema is stored and restored, so a second run applies only new migrations. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";

const ROOT = path.resolve(__dirname, "../..");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function example(): { dir: string; cacheDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-replay-snapshot-"));
  made.push(dir);
  fs.cpSync(path.join(ROOT, "fixtures/example"), dir, { recursive: true });
  const cacheDir = path.join(dir, "cache");
  fs.mkdirSync(cacheDir);
  return { dir, cacheDir };
}

const snapshots = (cacheDir: string) => fs.readdirSync(cacheDir).filter((f) => /\.replay-[0-9a-f]{16}\.tar\.gz$/.test(f));
const strip = (results: Awaited<ReturnType<typeof runLint>>["results"]) => results.map((r) => ({ filePath: r.filePath, messages: r.messages }));

function addMigration(dir: string, name: string, sql: string): string {
  const folder = path.join(dir, "prisma/migrations", name);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "migration.sql"), sql);
  return folder;
}

describe("replay snapshot (--replay --cache)", () => {
  it("is stored on the first run even when the cache's folder does not exist yet (it is written before the cache file)", async () => {
    const { dir, cacheDir } = example();
    const folder = path.join(cacheDir, "new", "nested");
    const first = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation: path.join(folder, "lint-cache") });
    expect(first.projects[0]!.replay).toMatchObject({ applied: 7, restored: 0 });
    expect(snapshots(folder)).toHaveLength(1);
    expect(fs.readdirSync(folder).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);

  it("restores the history up to the new migration and reports the same findings", async () => {
    const { dir, cacheDir } = example();
    const cacheLocation = path.join(cacheDir, "lint-cache");
    const first = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation });
    expect(first.projects[0]!.replay).toMatchObject({ applied: 7, restored: 0 });
    expect(snapshots(cacheDir)).toHaveLength(1);

    const added = addMigration(dir, "20240701000000_add_region", '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "region" TEXT NOT NULL DEFAULT \'eu\';\nCREATE INDEX "orders_region_idx" ON "orders"("region");\n');
    const second = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation, paths: [added] });
    expect(second.projects[0]!.replay).toMatchObject({ applied: 8, restored: 7 });
    const uncached = await runLint({ cwd: dir, replay: true, paths: [added] });
    expect(uncached.projects[0]!.replay).toMatchObject({ applied: 8, restored: 0 });
    expect(strip(second.results)).toEqual(strip(uncached.results));
    expect(second.projects[0]!.replay!.lockTrace).toEqual(uncached.projects[0]!.replay!.lockTrace);
    // the new snapshot, and the one this run started from
    expect(snapshots(cacheDir)).toHaveLength(2);

    // the same new migration again: restored from the same snapshot
    const third = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation, paths: [added] });
    expect(third.projects[0]!.replay).toMatchObject({ applied: 8, restored: 7 });
    expect(strip(third.results)).toEqual(strip(uncached.results));

    // one more migration: restored from the newest snapshot, the older ones are removed
    const next = addMigration(dir, "20240702000000_add_note", '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "note" TEXT;\n');
    const fourth = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation, paths: [next] });
    expect(fourth.projects[0]!.replay).toMatchObject({ applied: 9, restored: 8 });
    expect(snapshots(cacheDir)).toHaveLength(2);
  }, 180_000);

  it("falls back to a full replay when the snapshot does not load", async () => {
    const { dir, cacheDir } = example();
    const cacheLocation = path.join(cacheDir, "lint-cache");
    await runLint({ cwd: dir, replay: true, cache: true, cacheLocation });
    const [file] = snapshots(cacheDir);
    fs.writeFileSync(path.join(cacheDir, file!), "not a tarball");
    const added = addMigration(dir, "20240701000000_add_note", '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "note" TEXT;\n');
    const run = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation, paths: [added] });
    expect(run.projects[0]!.replay).toMatchObject({ applied: 8, restored: 0 });
    expect(run.results.flatMap((r) => r.messages).filter((m) => m.ruleId === "replay-failed")).toEqual([]);
  }, 180_000);

  it("does not restore a prefix that contains an in-scope migration", async () => {
    const { dir, cacheDir } = example();
    const cacheLocation = path.join(cacheDir, "lint-cache");
    await runLint({ cwd: dir, replay: true, cache: true, cacheLocation });
    // everything in scope again: the whole history is applied with lock traces
    const again = await runLint({ cwd: dir, replay: true, cache: true, cacheLocation });
    expect(again.projects[0]!.replay).toMatchObject({ applied: 7, restored: 0 });
  }, 180_000);
});
