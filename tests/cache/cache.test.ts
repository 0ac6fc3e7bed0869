import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { runLint, type LintOptions } from "../../src/api/lint.js";
import { RACY_MS, recordOf, unchangedSince } from "../../src/model/load.js";

const EXAMPLE = path.resolve(__dirname, "../../fixtures/example");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function project(): { dir: string; cacheFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-cache-"));
  made.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return { dir, cacheFile: path.join(dir, ".cache", "lint.json") };
}

async function run(dir: string, cacheFile: string | null, extra: Partial<LintOptions> = {}) {
  const result = await runLint({ cwd: dir, ...(cacheFile ? { cache: true, cacheLocation: cacheFile } : {}), ...extra });
  return { results: result.results, project: result.projects[0]! };
}

describe("--cache", () => {
  it("a warm run parses nothing and reports exactly what a cold run reports", async () => {
    const { dir, cacheFile } = project();
    const cold = await run(dir, null);
    const first = await run(dir, cacheFile);
    expect(first.project.parsedCount).toBe(7);
    const warm = await run(dir, cacheFile);
    expect(warm.project.parsedCount).toBe(0);
    expect(warm.results).toEqual(cold.results);
    expect(first.results).toEqual(cold.results);
  });

  it("a new migration on top of the history is the only one parsed, with the history known", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    const file = path.join(dir, "prisma/migrations/20240701000000_drop_bio/migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'ALTER TABLE "Profile" DROP COLUMN "bio";\n');
    const warm = await run(dir, cacheFile);
    expect(warm.project.parsedCount).toBe(1);
    const cold = await run(dir, null);
    expect(warm.results).toEqual(cold.results);
    expect(warm.results.find((r) => r.filePath === file)!.messages[0]!.message).toContain("(text, added in 20240212120000_add_profile)");
  });

  it("the schema comes from the cache, locations and all; one that cannot be unpacked is parsed again", async () => {
    const { dir, cacheFile } = project();
    const strict = { config: { rules: { "drop-not-null": "error" as const } } };
    await run(dir, cacheFile, strict);
    const file = path.join(dir, "prisma/migrations/20240701000000_email_optional/migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL;\n');
    const cold = await run(dir, null, strict);
    const pointsAtField = (results: typeof cold.results) => results.find((r) => r.filePath === file)!.messages.map((m) => m.message).join("\n");
    expect(pointsAtField(cold.results)).toMatch(/schema\.prisma:27\b/);
    const cached = JSON.parse(fs.readFileSync(cacheFile, "utf8"));
    const schema = cached.projects[dir].schema.data;
    expect(schema.models[0].fields[1].location).toEqual([0, expect.any(Number), expect.any(Number)]); // packed: [file, start, end]
    const warm = await run(dir, cacheFile, strict);
    expect(warm.project.parsedCount).toBe(1);
    expect(warm.results).toEqual(cold.results);

    fs.writeFileSync(file, 'ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL;\n-- edited\n');
    const again = await run(dir, null, strict);
    schema.models[0].fields[1].location = [7, 0, 1]; // a file index that does not exist
    fs.writeFileSync(cacheFile, JSON.stringify(cached));
    const fallback = await run(dir, cacheFile, strict);
    expect(fallback.results).toEqual(again.results);
    expect(JSON.parse(fs.readFileSync(cacheFile, "utf8")).projects[dir].schema.data.models[0].fields[1].location[0]).toBe(0); // stored again, whole
  });

  it("an edited migration invalidates it and everything after it", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    const file = path.join(dir, "prisma/migrations/20240402101000_rename_name/migration.sql");
    fs.writeFileSync(file, '-- AlterTable\nALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n');
    const warm = await run(dir, cacheFile);
    expect(warm.project.parsedCount).toBe(7); // the cached catalog ends after the edit: replay from the start
    expect(warm.results).toEqual((await run(dir, null)).results);
  });

  it("another configuration does not reuse findings", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    const warnings = await run(dir, cacheFile, { config: { rules: { "destructive-change": "warn" } } });
    expect(warnings.results.flatMap((r) => r.messages).every((m) => m.severity === 1)).toBe(true);
    expect(warnings.results.flatMap((r) => r.messages)).toHaveLength(3); // only destructive-change, as warnings
  });

  it("a truncated cache, or one of another version, is ignored and replaced", async () => {
    const { dir, cacheFile } = project();
    const cold = await run(dir, null);
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    for (const content of ['{"format":2,"tool":"0.1.0","projects":{"/x', JSON.stringify({ format: 1, tool: "0.0.0-other", projects: { [dir]: { configKey: "x", findings: {} } } }), JSON.stringify({ format: 1, tool: "x", projects: null })]) {
      fs.writeFileSync(cacheFile, content);
      const result = await run(dir, cacheFile);
      expect(result.results).toEqual(cold.results);
      expect(() => JSON.parse(fs.readFileSync(cacheFile, "utf8"))).not.toThrow();
    }
  });

  it("the file is ASCII (what lies outside it escaped), sealed over its bytes, and gives back the findings' text as it was", async () => {
    const { dir, cacheFile } = project();
    const migrations = path.join(dir, "prisma/migrations");
    fs.mkdirSync(path.join(migrations, "20990101000000_unicode"));
    fs.writeFileSync(path.join(migrations, "20990101000000_unicode/migration.sql"), 'CREATE TABLE "Café_😀" ("id" SERIAL NOT NULL, "prénom" TEXT);\n');
    fs.mkdirSync(path.join(migrations, "20990102000000_drop"));
    fs.writeFileSync(path.join(migrations, "20990102000000_drop/migration.sql"), 'ALTER TABLE "Café_😀" DROP COLUMN "prénom";\n');
    const cold = await run(dir, null);
    const text = JSON.stringify(cold.results);
    expect(text).toContain("Café_😀");
    await run(dir, cacheFile);
    const bytes = fs.readFileSync(cacheFile);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(bytes.toString("latin1")).toContain("Caf\\u00e9_\\ud83d\\ude00");
    const warm = await run(dir, cacheFile);
    expect(warm.project.parsedCount).toBe(0);
    expect(warm.results).toEqual(cold.results);
    // one byte of a finding changed, the seal left as it was: that entry's own check misses, and the output is a cold run's
    fs.writeFileSync(cacheFile, bytes.toString("latin1").replace("Caf\\u00e9_", "Caf\\u00e8_"));
    const edited = await run(dir, cacheFile);
    expect(edited.results).toEqual(cold.results);
    expect(edited.project.parsedCount).toBeGreaterThan(0);
  });

  it("a cache location that is a folder gets the default file name", async () => {
    const { dir } = project();
    const folder = path.join(dir, "cache-dir");
    fs.mkdirSync(folder);
    await run(dir, folder);
    expect(fs.existsSync(path.join(folder, ".migration-lint-cache"))).toBe(true);
  });

  it("a rebuilt dist of the same version misses where a built-in rule's code changed (the CLI keys them by dist/code-digest.json)", () => {
    const repo = path.resolve(__dirname, "../..");
    // a copy of the installed package, as a user has it: bin/, dist/, package.json, with this repository's node_modules
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), "ml-pkg-"));
    made.push(pkg);
    for (const part of ["bin", "dist", "package.json"]) fs.cpSync(path.join(repo, part), path.join(pkg, part), { recursive: true });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(pkg, "node_modules"), "dir");
    const { dir, cacheFile } = project();
    const lint = () => {
      const run = spawnSync(process.execPath, [path.join(pkg, "bin/migration-lint.js"), "--cwd", dir, "--cache", "--cache-location", cacheFile, "-f", "json"], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(1);
      return (JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>).flatMap((r) => r.messages).filter((m) => m.ruleId === "destructive-change").map((m) => m.message);
    };
    const before = lint();
    expect(before.some((m) => m.includes("fail on queries that select it"))).toBe(true);
    // edit the built-in rule's message in the bundle the CLI runs, and rebuild the digest as npm run build does
    const edited = "fail on queries that select it (edited)";
    let changed = 0;
    for (const file of fs.readdirSync(path.join(pkg, "dist/cli"))) {
      const full = path.join(pkg, "dist/cli", file);
      const text = fs.readFileSync(full, "utf8");
      if (!text.includes("fail on queries that select it")) continue;
      fs.writeFileSync(full, text.replaceAll("fail on queries that select it", edited));
      changed++;
    }
    expect(changed).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version).toBe(JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).version);
    const rebuilt = spawnSync(process.execPath, [path.join(repo, "scripts/code-digest.mjs"), path.join(pkg, "dist")], { encoding: "utf8" });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const after = lint();
    expect(after.length).toBe(before.length);
    expect(after.filter((m) => m.includes(edited))).toHaveLength(before.filter((m) => m.includes("fail on queries that select it")).length);
    // and unchanged code still hits: a third run reports the same, from the cache
    expect(lint()).toEqual(after);
  }, 60_000);
});

describe("the journal: a run that changes little appends a line instead of rewriting the file", () => {
  /** The file's sealed JSON and the journal lines after it. */
  const linesOf = (cacheFile: string) => fs.readFileSync(cacheFile, "latin1").split("\n");
  let next = 20240701000000;
  /** A new migration on top of the history (a column added to "User"), as a developer's next `prisma migrate dev` writes it. */
  function addMigration(dir: string): string {
    const name = `${next++}_add_column_${next}`;
    const file = path.join(dir, "prisma/migrations", name, "migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, `-- AlterTable\nALTER TABLE "User" ADD COLUMN "c${next}" TEXT;\n`);
    return file;
  }
  const cold = async (dir: string) => (await run(dir, null)).results;
  /** A run with the cache parses nothing and reports what a run without it reports. */
  async function expectWarmAsCold(dir: string, cacheFile: string) {
    const warm = await run(dir, cacheFile);
    expect(warm.project.parsedCount).toBe(0);
    expect(warm.results).toEqual(await cold(dir));
  }

  it("a new migration appends one line; the next run reads it, parses nothing and equals a cold run", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    expect(linesOf(cacheFile)).toHaveLength(1);
    addMigration(dir);
    expect((await run(dir, cacheFile)).project.parsedCount).toBe(1);
    const lines = linesOf(cacheFile);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^[0-9a-f]{40}\{"projects":/);
    await expectWarmAsCold(dir, cacheFile);
  });

  it("lines add up until they would pass half the JSON's size; then the file is written whole again, and stays right", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      addMigration(dir);
      await run(dir, cacheFile);
      seen.push(linesOf(cacheFile).length);
      await expectWarmAsCold(dir, cacheFile);
    }
    expect(Math.max(...seen)).toBeGreaterThan(2);
    expect(seen.some((n, i) => i > 0 && n < seen[i - 1]!)).toBe(true); // written whole again
  });

  it("a torn or edited line is not applied, nor anything after it; the next save writes the file whole", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    addMigration(dir);
    await run(dir, cacheFile);
    addMigration(dir);
    await run(dir, cacheFile);
    const [json, first, second] = linesOf(cacheFile);
    expect(second).toBeDefined();
    expect(first).toContain('"kept":[]');
    const damage = [
      { text: `${json}\n${first}\n${second!.slice(0, -20)}`, parsed: 1 }, // the second line torn: the newest migration again
      { text: `${json}\n${first!.replace('"kept":[]', '"kept":[ ]')}\n${second}`, parsed: 2 }, // the first edited: both again
    ];
    for (const { text, parsed } of damage) {
      fs.writeFileSync(cacheFile, text, "latin1");
      const warm = await run(dir, cacheFile);
      expect(warm.results).toEqual(await cold(dir));
      expect(warm.project.parsedCount).toBe(parsed);
      expect(linesOf(cacheFile)).toHaveLength(1);
      expect((await run(dir, cacheFile)).project.parsedCount).toBe(0);
    }
    // a line break at the end (an editor's): every line before it stands
    fs.writeFileSync(cacheFile, `${fs.readFileSync(cacheFile, "latin1")}\n`, "latin1");
    await expectWarmAsCold(dir, cacheFile);
  });

  it("another configuration's findings replace the project's, in a line too", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    const config = { rules: { "destructive-change": "warn" as const } };
    addMigration(dir);
    await run(dir, cacheFile);
    const warnings = await run(dir, cacheFile, { config });
    expect(warnings.project.parsedCount).toBeGreaterThan(0);
    const again = await run(dir, cacheFile, { config });
    expect(again.project.parsedCount).toBe(0);
    expect(again.results).toEqual((await run(dir, null, { config })).results);
    const back = await run(dir, cacheFile);
    expect(back.results).toEqual(await cold(dir));
  });

  it("a file another run replaced since this one read it gets no line appended: it is written whole", async () => {
    const { dir, cacheFile } = project();
    await run(dir, cacheFile);
    addMigration(dir);
    // between this run's read and its save, the file is replaced (a copy: another inode), as a concurrent run's rename does
    const { LintCache } = await import("../../src/cache/cache.js");
    const { TOOL_VERSION } = await import("../../src/version.js");
    const cache = LintCache.open(cacheFile, TOOL_VERSION);
    fs.copyFileSync(cacheFile, `${cacheFile}.copy`);
    fs.renameSync(`${cacheFile}.copy`, cacheFile);
    const result = await runLint({ cwd: dir, history: cache } as LintOptions);
    expect(result.projects[0]!.parsedCount).toBe(1);
    expect(linesOf(cacheFile)).toHaveLength(1);
    await expectWarmAsCold(dir, cacheFile);
  });
});

describe("the cache on the command line (on by default)", () => {
  const BIN = path.resolve(__dirname, "../../bin/migration-lint.js");
  const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args, "-f", "json", "--debug"], { cwd, encoding: "utf8" });
  /** The parse phase of --debug's timings table (0.0 when the cache answered for every migration). */
  const parseMs = (stderr: string) => Number(/^ {2}parse +(\d+\.\d)$/m.exec(stderr)?.[1]);

  it("lives in node_modules/.cache/migration-lint/ of the project, is found from another directory, and a warm run equals a cold one", () => {
    const { dir } = project();
    fs.mkdirSync(path.join(dir, "node_modules"));
    const cold = cli(["--cwd", dir, "--no-cache"], os.tmpdir());
    expect(cold.status, cold.stderr).toBe(1);
    expect(fs.existsSync(path.join(dir, "node_modules", ".cache"))).toBe(false);
    const first = cli([], dir);
    expect(first.stdout).toBe(cold.stdout);
    expect(fs.existsSync(path.join(dir, "node_modules", ".cache", "migration-lint", ".migration-lint-cache"))).toBe(true);
    expect(parseMs(first.stderr)).toBeGreaterThan(0);
    // run from elsewhere: the same project, the same cache file
    const warm = cli(["--cwd", dir], os.tmpdir());
    expect(warm.stdout).toBe(cold.stdout);
    expect(parseMs(warm.stderr)).toBe(0);
    expect(fs.existsSync(path.join(dir, ".migration-lint-cache"))).toBe(false);
  });

  it("without a node_modules up to the repository root, it is .migration-lint-cache in the project root; --no-cache writes nothing", () => {
    const { dir } = project();
    fs.mkdirSync(path.join(dir, ".git"));
    expect(cli(["--no-cache"], dir).status).toBe(1);
    expect(fs.existsSync(path.join(dir, ".migration-lint-cache"))).toBe(false);
    expect(cli([], dir).status).toBe(1);
    expect(fs.existsSync(path.join(dir, ".migration-lint-cache"))).toBe(true);
  });

  it("the API writes no cache unless asked", async () => {
    const { dir } = project();
    fs.mkdirSync(path.join(dir, "node_modules"));
    await runLint({ cwd: dir });
    expect(fs.readdirSync(path.join(dir, "node_modules"))).toEqual([]);
    expect(fs.existsSync(path.join(dir, ".migration-lint-cache"))).toBe(false);
  });
});

describe("file metadata: a warm run reads only the migrations that may have changed", () => {
  const PAST = 1_700_000_000; // seconds: long before any run
  const datePast = (dir: string) => {
    for (const name of fs.readdirSync(path.join(dir, "prisma/migrations"))) {
      const file = path.join(dir, "prisma/migrations", name, "migration.sql");
      if (fs.existsSync(file)) fs.utimesSync(file, PAST, PAST);
    }
  };

  it("reads nothing when nothing changed; a touched file is read and hashed, and still a hit", async () => {
    const { dir, cacheFile } = project();
    datePast(dir);
    const cold = await run(dir, null);
    expect(cold.project.readCount).toBe(7);
    await run(dir, cacheFile);
    const warm = await run(dir, cacheFile);
    expect([warm.project.readCount, warm.project.parsedCount]).toEqual([0, 0]);
    expect(warm.results).toEqual(cold.results);
    const file = path.join(dir, "prisma/migrations/20240212120000_add_profile/migration.sql");
    fs.utimesSync(file, PAST + 60, PAST + 60); // touched: same bytes
    const touched = await run(dir, cacheFile);
    expect([touched.project.readCount, touched.project.parsedCount]).toEqual([1, 0]);
    expect(touched.results).toEqual(cold.results);
    expect((await run(dir, cacheFile)).project.readCount).toBe(0); // recorded again
  });

  it("a file the cache vouched for is read when a formatter asks for its text, with the text a cold run has", async () => {
    const { dir, cacheFile } = project();
    datePast(dir);
    const cold = await runLint({ cwd: dir });
    await run(dir, cacheFile);
    const warm = await runLint({ cwd: dir, cache: true, cacheLocation: cacheFile });
    expect(warm.projects[0]!.readCount).toBe(0);
    expect([...warm.sources.keys()].sort()).toEqual([...cold.sources.keys()].sort());
    for (const file of cold.sources.keys()) expect(warm.sources.get(file)).toBe(cold.sources.get(file));
    expect(new Map(warm.sources)).toEqual(new Map(cold.sources));
  });

  it("a file modified less than RACY_MS before it was looked at is not recorded; any change of size, times or inode is a change", () => {
    const now = Date.UTC(2025, 0, 1);
    const stat = { size: 10, mtimeMs: now - RACY_MS - 1, ctimeMs: now - 5, ino: 42 };
    const record = recordOf(stat, "h", now)!;
    expect(record).toEqual([10, now - RACY_MS - 1, now - 5, 42, "h"]);
    // written within the racy window (a same-size edit in the same timestamp tick would leave all four as they are)
    expect(recordOf({ ...stat, mtimeMs: now - RACY_MS + 1 }, "h", now)).toBeUndefined();
    expect(recordOf({ ...stat, mtimeMs: now + 1000 }, "h", now)).toBeUndefined(); // dated in the future
    expect(unchangedSince(record, stat)).toBe(true);
    for (const change of [{ size: 11 }, { mtimeMs: stat.mtimeMs + 1 }, { ctimeMs: stat.ctimeMs + 1 }, { ino: 43 }]) expect(unchangedSince(record, { ...stat, ...change })).toBe(false);
    expect(unchangedSince(undefined, stat)).toBe(false);
  });
});

describe("files the cache vouched for, on the command line", () => {
  const BIN = path.resolve(__dirname, "../../bin/migration-lint.js");
  const stylish = (dir: string, cache: boolean) => spawnSync(process.execPath, [BIN, "-f", "stylish", "--debug", cache ? "--cache" : "--no-cache"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });

  it.each([
    ["a data config (linted on the main thread)", ".migration-lintrc.json", '{ "extends": "recommended" }'],
    ["a JavaScript config (linted in the supervised worker, the report written by the main thread)", "migration-lint.config.mjs", 'export default { extends: "recommended" };'],
  ])("stylish shows the same source lines warm as cold, with %s", (_, name, text) => {
    const { dir } = project();
    fs.writeFileSync(path.join(dir, name), text);
    for (const m of fs.readdirSync(path.join(dir, "prisma/migrations"))) {
      const file = path.join(dir, "prisma/migrations", m, "migration.sql");
      if (fs.existsSync(file)) fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
    }
    const cold = stylish(dir, false);
    expect(cold.stdout).toMatch(/│ ALTER TABLE/); // source excerpts shown
    stylish(dir, true);
    const warm = stylish(dir, true);
    expect(warm.stderr).toMatch(/: read 0, parsed 0 of 7 migrations/);
    expect(warm.stdout).toBe(cold.stdout);
  });
});
