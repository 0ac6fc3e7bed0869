/**
 * The compiled build parses a large schema in a worker thread while the
 * linter runs, and hands it over synchronously on first read (src/schema/load.ts).
 * These tests load the compiled module (dist/, built by `npm test`), because
 * under vitest the TypeScript source parses inline.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type * as WorkerThreads from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
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

  describe("one worker for a run's schemas", () => {
    // load.ts requires node:worker_threads when it starts a worker: count the workers it starts
    const threads = createRequire(import.meta.url)("node:worker_threads") as typeof WorkerThreads;
    const RealWorker = threads.Worker;
    const started: WorkerThreads.Worker[] = [];
    const counting = function (this: unknown, ...args: ConstructorParameters<typeof RealWorker>) {
      const worker = new RealWorker(...args);
      started.push(worker);
      return worker;
    } as unknown as typeof RealWorker;
    afterEach(() => {
      threads.Worker = RealWorker;
      started.length = 0;
    });
    const exited = (worker: WorkerThreads.Worker) => new Promise<number>((resolve) => worker.once("exit", resolve));

    it("parses the next project's schema in the same worker while keep() holds, and ends it after", async () => {
      const { SchemaWorker } = (await import(pathToFileURL(dist).href)) as typeof import("../../src/schema/load.js");
      threads.Worker = counting;
      let more = true;
      const schemas = new SchemaWorker(() => more);
      const first = [{ path: "/a/schema.prisma", text: largeSchema() }];
      const second = [{ path: "/b/schema.prisma", text: largeSchema().replaceAll("Thing", "Other") }];
      expect(schemas.parse(first).get().models.map((m) => m.name)).toEqual(parsePrismaSchema(first).models.map((m) => m.name));
      expect(started).toHaveLength(1);
      const end = exited(started[0]!);
      more = false;
      const viaSameWorker = schemas.parse(second).get();
      expect(started).toHaveLength(1);
      expect(viaSameWorker.modelForTable("thing_3", null)?.name).toBe("Other3");
      const { modelForTable: _a, ...a } = viaSameWorker;
      const { modelForTable: _b, ...b } = parsePrismaSchema(second);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      // keep() said no more: the worker ended once its last schema was taken
      await end;
    });

    it("a worker given the run's last schema ends by itself once it has answered, read or not", async () => {
      const { SchemaWorker } = (await import(pathToFileURL(dist).href)) as typeof import("../../src/schema/load.js");
      threads.Worker = counting;
      const handle = new SchemaWorker(() => false).parse([{ path: "/a/schema.prisma", text: largeSchema() }]);
      expect(started).toHaveLength(1);
      await exited(started[0]!);
      expect(handle.ready()).toBe(true);
      expect(handle.get().models).toHaveLength(120);
    });

    it("starts a worker per schema when nothing is kept, and close() ends one never read", async () => {
      const { SchemaWorker } = (await import(pathToFileURL(dist).href)) as typeof import("../../src/schema/load.js");
      threads.Worker = counting;
      const schemas = new SchemaWorker(() => false);
      const files = [{ path: "/a/schema.prisma", text: largeSchema() }];
      expect(schemas.parse(files).get().models).toHaveLength(120);
      const unread = schemas.parse(files);
      expect(started).toHaveLength(2);
      const end = exited(started[1]!);
      schemas.close();
      // what was never handed over is parsed inline, at once
      expect(unread.get().models).toHaveLength(120);
      await end;
    });
  });
});
