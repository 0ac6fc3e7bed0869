import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLint, type LintOptions } from "../../src/api/lint.js";

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

  it("a cache location that is a folder gets the default file name", async () => {
    const { dir } = project();
    const folder = path.join(dir, "cache-dir");
    fs.mkdirSync(folder);
    await run(dir, folder);
    expect(fs.existsSync(path.join(folder, ".migration-lint-cache"))).toBe(true);
  });
});
