/**
 * The compiled build parses a large schema in a worker thread while the
 * linter runs, and hands it over synchronously on first read (src/schema/load.ts).
 * These tests load the compiled module (dist/, built by `npm test`), because
 * under vitest the TypeScript source parses inline.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePrismaSchema } from "../../src/schema/parse-schema.js";

const dist = path.resolve(__dirname, "../../dist/src/schema/load.js");

/** A schema over the worker threshold (16 KB): 120 models with a mapped table each. */
function largeSchema(): string {
  let text = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n';
  for (let i = 0; i < 120; i++) {
    text += `\nmodel Thing${i} {\n  id Int @id @default(autoincrement())\n  name String @map("display_name")\n  createdAt DateTime @default(now()) @map("created_at")\n\n  @@map("thing_${i}")\n}\n`;
  }
  return text;
}

describe("schema parsed in a worker (compiled build)", () => {
  it("hands over the same model as an inline parse, on first get()", async () => {
    const { startSchemaParse } = (await import(pathToFileURL(dist).href)) as typeof import("../../src/schema/load.js");
    const files = [{ path: "/p/schema.prisma", text: largeSchema() }];
    expect(files[0]!.text.length).toBeGreaterThan(16 * 1024);
    const handle = startSchemaParse(files);
    const viaWorker = handle.get();
    expect(handle.ready()).toBe(true);
    const inline = parsePrismaSchema(files);
    expect(viaWorker.models.length).toBe(120);
    expect(viaWorker.modelForTable("thing_7", null)?.name).toBe("Thing7");
    expect(viaWorker.modelForTable("thing_7", null)?.fields.find((f) => f.name === "name")?.columnName).toBe("display_name");
    const { modelForTable: _a, ...a } = viaWorker;
    const { modelForTable: _b, ...b } = inline;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    // locations travel packed (file index and offsets): lines and columns come out the same
    const locations = (s: typeof inline) => s.models.flatMap((m) => [m.location, ...m.fields.map((f) => f.location)]).map((l) => [l.file, l.range]);
    expect(locations(viaWorker)).toEqual(locations(inline));
  });

  it("reports a broken large schema's errors the same way", async () => {
    const { startSchemaParse } = (await import(pathToFileURL(dist).href)) as typeof import("../../src/schema/load.js");
    const files = [{ path: "/p/schema.prisma", text: largeSchema() + "\nmodel Broken {\n  id Int @id\n" }];
    const viaWorker = startSchemaParse(files).get();
    expect(viaWorker.errors.length).toBeGreaterThan(0);
    expect(viaWorker.errors).toEqual(parsePrismaSchema(files).errors);
  });
});
