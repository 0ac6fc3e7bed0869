import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MigrationLintError } from "../../src/errors.js";
import { formatterNames, formatterPackageName, loadFormatter } from "../../src/formatters/index.js";
import { fixtureContext, fixtureResults } from "./fixtures/results.js";

const here = path.dirname(fileURLToPath(import.meta.url));

async function usageError(promise: Promise<unknown>): Promise<MigrationLintError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationLintError);
  expect((err as MigrationLintError).kind).toBe("usage");
  return err as MigrationLintError;
}

describe("loadFormatter", () => {
  it("loads every built-in formatter by name, with or without a cwd", async () => {
    expect(formatterNames).toEqual(["stylish", "json", "compact", "sarif", "github", "gitlab", "junit", "markdown", "markdown-summary", "html"]);
    for (const name of formatterNames) {
      const format = await loadFormatter(name);
      expect(typeof format(fixtureResults(), fixtureContext())).toBe("string");
      expect(await loadFormatter(name, "/nowhere")).toBe(format);
    }
  });

  it("does not take Object.prototype members for formats", async () => {
    await usageError(loadFormatter("toString", here));
    await usageError(loadFormatter("constructor", here));
  });

  it("loads a formatter file relative to cwd", async () => {
    const format = await loadFormatter("./fixtures/custom-formatter.mjs", here);
    expect(format(fixtureResults(), fixtureContext())).toBe(
      [
        "E destructive-change prisma/migrations/20240301120000_drop_legacy/migration.sql:3",
        "W acme/batched-backfill prisma/migrations/20240301120000_drop_legacy/migration.sql:6",
        "E destructive-change prisma/migrations/20240301120000_drop_legacy/migration.sql:9",
        "E parse-error prisma/migrations/20240302090000_broken/migration.sql:2",
      ].join("\n"),
    );
  });

  it("loads a formatter by absolute path, file URL, path with a slash, and CommonJS", async () => {
    const file = path.join(here, "fixtures", "custom-formatter.cjs");
    for (const name of [file, pathToFileURL(file).href]) {
      expect((await loadFormatter(name, "/"))(fixtureResults(), fixtureContext())).toBe("4 findings");
    }
    expect((await loadFormatter("fixtures/custom-formatter.cjs", here))(fixtureResults(), fixtureContext())).toBe("4 findings");
  });

  it("reports a missing file as a usage error naming the file", async () => {
    const err = await usageError(loadFormatter("./nope/missing-formatter.js", here));
    expect(err.message).toContain("./nope/missing-formatter.js");
    expect(err.message).toContain(path.join(here, "nope", "missing-formatter.js"));
  });

  describe("packages and bad modules", () => {
    let root: string;
    let project: string;
    beforeAll(() => {
      root = mkdtempSync(path.join(tmpdir(), "migration-lint-formatters-"));
      project = path.join(root, "app", "packages", "db");
      mkdirSync(project, { recursive: true });
      const pkg = (name: string, manifest: object, files: Record<string, string>) => {
        const dir = path.join(root, "app", "node_modules", ...name.split("/"));
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, ...manifest }));
        for (const [file, text] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          writeFileSync(path.join(dir, file), text);
        }
      };
      // ESM-only, conditional exports (require.resolve cannot find it)
      pkg("migration-lint-formatter-foo", { type: "module", exports: { ".": { types: "./x.d.ts", import: "./dist/index.js" } } }, { "dist/index.js": 'export default () => "foo formatter";' });
      // CommonJS with main
      pkg("migration-lint-formatter-cjs", { main: "lib/main" }, { "lib/main.js": 'module.exports = () => "cjs formatter";' });
      // scoped, transpiled ESM in CommonJS (default.default)
      pkg("@acme/migration-lint-formatter", {}, { "index.js": 'Object.defineProperty(exports, "__esModule", { value: true }); exports.default = () => "acme formatter";' });
      pkg("@acme/migration-lint-formatter-review", { exports: "./review.mjs" }, { "review.mjs": 'export default () => "acme review formatter";' });
      pkg("migration-lint-formatter-notfn", { type: "module", main: "index.js" }, { "index.js": "export default 42;" });
      pkg("migration-lint-formatter-throws", { type: "module", main: "index.js" }, { "index.js": 'throw new Error("boom at load");' });
      pkg("migration-lint-formatter-async", { type: "module", main: "index.js" }, { "index.js": 'export default async () => "late";' });
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const output = async (name: string) => (await loadFormatter(name, project))(fixtureResults(), fixtureContext());

    it("maps names to packages like ESLint", () => {
      expect(formatterPackageName("foo")).toBe("migration-lint-formatter-foo");
      expect(formatterPackageName("migration-lint-formatter-foo")).toBe("migration-lint-formatter-foo");
      expect(formatterPackageName("@acme")).toBe("@acme/migration-lint-formatter");
      expect(formatterPackageName("@acme/review")).toBe("@acme/migration-lint-formatter-review");
      expect(formatterPackageName("@acme/migration-lint-formatter-review")).toBe("@acme/migration-lint-formatter-review");
    });

    it("finds packages in node_modules from cwd upwards", async () => {
      expect(await output("foo")).toBe("foo formatter");
      expect(await output("migration-lint-formatter-foo")).toBe("foo formatter");
      expect(await output("cjs")).toBe("cjs formatter");
      expect(await output("@acme")).toBe("acme formatter");
      expect(await output("@acme/review")).toBe("acme review formatter");
    });

    it("reports an unknown name with the built-in formats and the package it looked for", async () => {
      const err = await usageError(loadFormatter("no-such-format", project));
      expect(err.message).toContain('"no-such-format"');
      expect(err.message).toContain("migration-lint-formatter-no-such-format");
      expect(err.message).toContain("sarif");
    });

    it("reports a module without a formatter, or that fails to load, as a usage error", async () => {
      expect((await usageError(loadFormatter("notfn", project))).message).toMatch(/default export that is a function/);
      expect((await usageError(loadFormatter("throws", project))).message).toMatch(/Cannot load formatter "throws".*boom at load/);
    });

    it("rejects a formatter that does not return a string", async () => {
      const format = await loadFormatter("async", project);
      expect(() => format(fixtureResults(), fixtureContext())).toThrow(/returned a Promise/);
    });
  });
});
