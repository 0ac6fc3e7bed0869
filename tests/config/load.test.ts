import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/api/lint.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import { MigrationLintError } from "../../src/errors.js";
import { CONFIG_FILES, configMayRunCode, mayFindConfig } from "../../src/config/load.js";

const made: string[] = [];

/** A temporary repository (it has `.git`, so the config search stops there) holding `files`. */
function repo(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-config-"));
  made.push(dir);
  fs.mkdirSync(path.join(dir, ".git"));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function severityOf(config: ResolvedConfig, id: string): number | undefined {
  return config.rules.find((r) => r.id === id)?.severity;
}

/** Loads the config of a repo holding one config file and expects a config error naming that file. */
async function configError(file: string, content: string, extra: Record<string, string> = {}): Promise<MigrationLintError> {
  const dir = repo({ [file]: content, ...extra });
  const err = await loadConfig({ cwd: dir }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationLintError);
  const error = err as MigrationLintError;
  expect(error.kind).toBe("config");
  expect(error.file).toBe(path.join(dir, file));
  return error;
}

const JSON_CONFIG = JSON.stringify({ postgresVersion: 13, rules: { "destructive-change": "warn" } });
const YAML_CONFIG = "postgresVersion: 13\nrules:\n  destructive-change: warn\n";
const ESM_CONFIG = 'export default { postgresVersion: 13, rules: { "destructive-change": "warn" } };\n';
const CJS_CONFIG = 'module.exports = { postgresVersion: 13, rules: { "destructive-change": "warn" } };\n';
const TS_CONFIG =
  'const c: { postgresVersion: number; rules: Record<string, string> } = { postgresVersion: 13, rules: { "destructive-change": "warn" } };\nexport default c;\n';

describe("config file kinds", () => {
  const kinds: Array<[string, string, string]> = [
    [".migration-lintrc (JSON)", ".migration-lintrc", JSON_CONFIG],
    [".migration-lintrc (YAML)", ".migration-lintrc", YAML_CONFIG],
    [".migration-lintrc.json", ".migration-lintrc.json", JSON_CONFIG],
    [".migration-lintrc.yaml", ".migration-lintrc.yaml", YAML_CONFIG],
    [".migration-lintrc.yml", ".migration-lintrc.yml", YAML_CONFIG],
    ["migration-lint.config.js (ESM export default)", "migration-lint.config.js", ESM_CONFIG],
    ["migration-lint.config.mjs", "migration-lint.config.mjs", ESM_CONFIG],
    ["migration-lint.config.cjs (module.exports)", "migration-lint.config.cjs", CJS_CONFIG],
    ["migration-lint.config.ts (with type annotations)", "migration-lint.config.ts", TS_CONFIG],
    ["package.json#migration-lint", "package.json", JSON.stringify({ name: "app", "migration-lint": { postgresVersion: 13, rules: { "destructive-change": "warn" } } })],
  ];

  it.each(kinds)("loads %s", async (_label, file, content) => {
    const dir = repo({ [file]: content });
    const config = await loadConfig({ cwd: dir });
    expect(config.filepath).toBe(path.join(dir, file));
    expect(config.postgresVersion).toBe(13);
    expect(config.rules.map((r) => ({ id: r.id, severity: r.severity }))).toEqual([{ id: "destructive-change", severity: 1 }]);
  });

  it("finds the config of an enclosing folder up to the repository root", async () => {
    const dir = repo({ ".migration-lintrc.json": JSON_CONFIG, "packages/app/.keep": "" });
    const config = await loadConfig({ cwd: path.join(dir, "packages", "app") });
    expect(config.filepath).toBe(path.join(dir, ".migration-lintrc.json"));
    expect(severityOf(config, "destructive-change")).toBe(1);
  });

  it("does not look above the repository root", async () => {
    const outer = repo({ ".migration-lintrc.json": JSON_CONFIG });
    const inner = path.join(outer, "nested-repo");
    fs.mkdirSync(path.join(inner, ".git"), { recursive: true });
    const config = await loadConfig({ cwd: inner });
    expect(config.filepath).toBeNull();
    expect(severityOf(config, "destructive-change")).toBe(2);
  });

  it("ignores a package.json without a migration-lint key", async () => {
    const dir = repo({ "package.json": JSON.stringify({ name: "app" }), ".migration-lintrc.json": JSON_CONFIG });
    const config = await loadConfig({ cwd: dir });
    expect(config.filepath).toBe(path.join(dir, ".migration-lintrc.json"));
  });

  it("loads an explicit configFile relative to cwd", async () => {
    const dir = repo({ "config/lint.json": JSON_CONFIG });
    const config = await loadConfig({ cwd: dir, configFile: "config/lint.json" });
    expect(config.filepath).toBe(path.join(dir, "config", "lint.json"));
    expect(severityOf(config, "destructive-change")).toBe(1);
  });

  it("rejects a configFile that does not exist", async () => {
    const dir = repo();
    await expect(loadConfig({ cwd: dir, configFile: "nope.json" })).rejects.toBeInstanceOf(MigrationLintError);
    await expect(loadConfig({ cwd: dir, configFile: "nope.json" })).rejects.toThrow(/nope\.json/);
  });
});

describe("resolution", () => {
  it("uses the recommended preset when there is no config", async () => {
    const config = await loadConfig({ cwd: repo() });
    expect(config.filepath).toBeNull();
    expect(config.extends).toEqual(["recommended"]);
    expect(severityOf(config, "destructive-change")).toBe(2);
    expect(config.postgresVersion).toBe(14);
  });

  it('expands extends: "all"', async () => {
    const config = await loadConfig({ cwd: repo({ ".migration-lintrc.json": JSON.stringify({ extends: "all" }) }) });
    expect(config.extends).toEqual(["all"]);
    expect(severityOf(config, "destructive-change")).toBe(2);
  });

  it("accepts numeric severities 0, 1 and 2", async () => {
    const load = (severity: number) =>
      loadConfig({ cwd: repo({ ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: { "destructive-change": severity } }) }) });
    expect(severityOf(await load(0), "destructive-change")).toBeUndefined();
    expect(severityOf(await load(1), "destructive-change")).toBe(1);
    expect(severityOf(await load(2), "destructive-change")).toBe(2);
  });

  it('"off" removes a rule a preset enabled', async () => {
    const config = await loadConfig({ cwd: repo({ ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: { "destructive-change": "off" } }) }) });
    expect(config.rules.map((r) => r.id)).not.toContain("destructive-change");
    expect(config.rules.length).toBeGreaterThan(0); // the rest of the preset stays
  });

  it("keeps rule options given as [severity, options]", async () => {
    const config = await loadConfig({
      cwd: repo({ ".migration-lintrc.json": JSON.stringify({ rules: { "destructive-change": ["error", { allowPreserved: true }] } }) }),
    });
    const rule = config.rules.find((r) => r.id === "destructive-change");
    expect(rule?.severity).toBe(2);
    expect(rule?.options).toEqual({ allowPreserved: true });
  });

  it("fills in default options", async () => {
    const config = await loadConfig({ cwd: repo() });
    expect(config.rules.find((r) => r.id === "destructive-change")?.options).toEqual({ allowPreserved: false });
  });

  it("accepts a config object instead of a file", async () => {
    const config = await loadConfig({ cwd: repo({ ".migration-lintrc.json": JSON_CONFIG }), config: { extends: "recommended", postgresVersion: 16 } });
    expect(config.filepath).toBeNull();
    expect(config.postgresVersion).toBe(16);
    expect(severityOf(config, "destructive-change")).toBe(2);
  });

  it("resolves schema and migrations relative to the config file", async () => {
    const dir = repo({ "db/.migration-lintrc.json": JSON.stringify({ schema: "schema.prisma", migrations: "./migrations" }), "db/app/.keep": "" });
    const config = await loadConfig({ cwd: path.join(dir, "db", "app") });
    expect(config.schema).toBe(path.join(dir, "db", "schema.prisma"));
    expect(config.migrations).toBe(path.join(dir, "db", "migrations"));
  });
});

describe("configuration errors", () => {
  it("rejects an unknown top-level key", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rulez: {} }));
    expect(error.message).toMatch(/Unknown configuration key "rulez"/);
  });

  it("rejects a key of the wrong type", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ postgresVersion: "14" }));
    expect(error.message).toMatch(/"postgresVersion"/);
  });

  it("rejects an unknown rule", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rules: { "no-such-rule": "error" } }));
    expect(error.message).toMatch(/Unknown rule "no-such-rule"/);
  });

  it.each([["fatal"], [3], [true]])("rejects the severity %j", async (severity) => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rules: { "destructive-change": severity } }));
    expect(error.message).toMatch(/"destructive-change".*severity/);
    expect(error.message).toContain(JSON.stringify(severity));
  });

  it("rejects an option of the wrong type", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rules: { "destructive-change": ["error", { allowPreserved: "yes" }] } }));
    expect(error.message).toMatch(/"destructive-change"/);
    expect(error.message).toMatch(/allowPreserved/);
    expect(error.message).toMatch(/boolean/);
  });

  it("rejects an unknown option property", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rules: { "destructive-change": ["error", { allowPreserve: true }] } }));
    expect(error.message).toMatch(/"destructive-change"/);
    expect(error.message).toMatch(/unknown property "allowPreserve"/);
  });

  it("rejects options that are not an object", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rules: { "destructive-change": ["error", true] } }));
    expect(error.message).toMatch(/options must be an object/);
  });

  it("rejects an unknown preset", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ extends: "strictest" }));
    expect(error.message).toMatch(/Unknown preset "strictest"/);
  });

  it("rejects a configuration that is not an object", async () => {
    const error = await configError(".migration-lintrc.json", "[]");
    expect(error.message).toMatch(/must be an object/);
  });

  it("rejects invalid JSON, naming the file", async () => {
    const dir = repo({ ".migration-lintrc.json": '{\n  "rules": {\n    "destructive-change": "warn",\n  }\n}\n' });
    const file = path.join(dir, ".migration-lintrc.json");
    const err = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationLintError);
    expect((err as MigrationLintError).kind).toBe("config");
    expect((err as MigrationLintError).file).toBe(file);
    expect((err as MigrationLintError).format()).toContain(file);
  });

  it("rejects invalid JSON in package.json, naming the file", async () => {
    const dir = repo({ "package.json": '{"name": "app",\n "migration-lint": {}}}\n' });
    const err = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationLintError);
    expect((err as MigrationLintError).kind).toBe("config");
    expect((err as MigrationLintError).file).toBe(path.join(dir, "package.json"));
  });

  it("rejects invalid YAML, naming the file and line", async () => {
    const error = await configError(".migration-lintrc.yaml", "postgresVersion: 13\nrules:\n  destructive-change: warn\n   extra: [\n");
    expect(error.line).toBe(4);
    expect(error.format()).toContain(`${error.file}:4`);
  });

  it("says why JSON is invalid and on which line", async () => {
    const error = await configError(".migration-lintrc.json", '{\n  "rules": {\n    "destructive-change": "warn",\n  }\n}\n');
    expect(error.message).toMatch(/^Cannot read configuration: Expected double-quoted property name/);
    expect(error.line).toBe(4);
  });

  it("says why YAML is invalid", async () => {
    const error = await configError(".migration-lintrc.yaml", "rules:\n  a: 1\n   b: 2\n");
    expect(error.message).toBe("Cannot read configuration: bad indentation of a mapping entry (3:5)");
  });

  it.each([
    // under vitest, import() goes through vite's transform, which words the syntax error its own way
    ["migration-lint.config.mjs", "export default {{;\n", /Unexpected token|invalid JS syntax/],
    ["migration-lint.config.cjs", 'throw new Error("kaboom");\n', /kaboom/],
    ["migration-lint.config.ts", "export default { rules: { 'destructive-change': 'warn' }\n", /./],
  ])("names %s when it fails to load, with the real reason", async (file, content, reason) => {
    const error = await configError(file, content);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toMatch(/race condition|not yet fully loaded/);
  });

  it("rejects a plugin package that is not installed", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ plugins: ["migration-lint-plugin-does-not-exist"] }));
    expect(error.message).toMatch(/Plugin "migration-lint-plugin-does-not-exist" not found/);
  });

  it("rejects a local plugin path that does not exist", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ plugins: ["./missing-plugin.mjs"] }));
    expect(error.message).toMatch(/Plugin "\.\/missing-plugin\.mjs"/);
  });

  it("rejects a local plugin that throws while loading", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ plugins: ["./boom.mjs"] }), {
      "boom.mjs": 'throw new Error("plugin exploded on load");\n',
    });
    expect(error.message).toMatch(/Plugin "\.\/boom\.mjs" failed to load/);
    expect(error.message).toContain("plugin exploded on load");
  });

  it("rejects a plugin that exports neither rules nor configs", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ plugins: ["./empty.mjs"] }), { "empty.mjs": "export default { name: 'x' };\n" });
    expect(error.message).toMatch(/must export \{ rules, configs \}/);
  });
});

describe("plugins", () => {
  const rule = `{
    meta: {
      id: "no-foo",
      type: "problem",
      docs: { description: "No foo.", preset: "all" },
      defaultSeverity: "warn",
      messages: { foo: "Foo is not allowed." },
    },
    create() { return {}; },
  }`;
  const plugin = (namespace: string) =>
    `export default {\n  rules: { "no-foo": ${rule} },\n  configs: { recommended: { rules: { "${namespace}/no-foo": "error" } } },\n};\n`;

  it("namespaces a local plugin's rules by its file name and applies its preset", async () => {
    const dir = repo({
      ".migration-lintrc.json": JSON.stringify({ plugins: ["./plugin.mjs"], extends: ["plugin:plugin/recommended"] }),
      "plugin.mjs": plugin("plugin"),
    });
    const config = await loadConfig({ cwd: dir });
    expect(config.plugins).toEqual(["./plugin.mjs"]);
    expect(config.rules.map((r) => ({ id: r.id, severity: r.severity }))).toEqual([{ id: "plugin/no-foo", severity: 2 }]);
    expect(config.rules[0]?.rule.meta.id).toBe("no-foo");
  });

  it("strips the migration-lint-plugin- prefix from a local plugin's namespace", async () => {
    const dir = repo({
      ".migration-lintrc.json": JSON.stringify({
        plugins: ["./plugins/migration-lint-plugin-acme.mjs"],
        extends: ["recommended", "plugin:acme/recommended"],
        rules: { "acme/no-foo": "warn" },
      }),
      "plugins/migration-lint-plugin-acme.mjs": plugin("acme"),
    });
    const config = await loadConfig({ cwd: dir });
    const severities = Object.fromEntries(config.rules.map((r) => [r.id, r.severity]));
    expect(severities["acme/no-foo"]).toBe(1);
    expect(severities["destructive-change"]).toBe(2);
  });

  it("rejects a plugin preset that the plugin does not have", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ plugins: ["./plugin.mjs"], extends: ["plugin:plugin/strict"] }), {
      "plugin.mjs": plugin("plugin"),
    });
    expect(error.message).toMatch(/Unknown preset "plugin:plugin\/strict"/);
  });

  it("rejects a plugin rule that is referenced without its plugin", async () => {
    const error = await configError(".migration-lintrc.json", JSON.stringify({ rules: { "plugin/no-foo": "error" } }));
    expect(error.message).toMatch(/Unknown rule "plugin\/no-foo"/);
  });
});

describe("configMayRunCode: whether the CLI must read the configuration under supervision", () => {
  // vitest runs in this repository, whose package.json depends on cosmiconfig: a dependency is not a meta config
  it("plain data, JavaScript, $import and no config at all", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-may-run-"));
    fs.mkdirSync(path.join(dir, ".git"));
    try {
      const xdg = process.env.XDG_CONFIG_HOME;
      process.env.XDG_CONFIG_HOME = path.join(dir, "no-global");
      try {
        expect(configMayRunCode({ cwd: dir })).toBe(false);
        fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), '{ "extends": "recommended" }');
        expect(configMayRunCode({ cwd: dir })).toBe(false);
        fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), '{ "$import": "./base.mjs" }');
        expect(configMayRunCode({ cwd: dir })).toBe(true);
        fs.rmSync(path.join(dir, ".migration-lintrc.json"));
        fs.writeFileSync(path.join(dir, "migration-lint.config.mjs"), "export default {};");
        expect(configMayRunCode({ cwd: dir })).toBe(true);
        fs.rmSync(path.join(dir, "migration-lint.config.mjs"));
        fs.mkdirSync(path.join(dir, "no-global", "migration-lint"), { recursive: true });
        expect(configMayRunCode({ cwd: dir })).toBe(true);
      } finally {
        if (xdg === undefined) delete process.env.XDG_CONFIG_HOME;
        else process.env.XDG_CONFIG_HOME = xdg;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("mayFindConfig: cosmiconfig is skipped only where its search cannot find a config", () => {
  // each place a config may be, and what may stand there: a config, an empty file (cosmiconfig passes over it), a
  // folder of that name, a package.json with or without the key, a file that is not JSON (cosmiconfig fails on it)
  const places = ["", "sub/", "sub/deeper/"].flatMap((dir) => CONFIG_FILES.map((name) => dir + name));
  const what = ["config", "empty", "folder", "package-without-key", "not-json"] as const;

  it("for every search place and what may stand there, between the working folder and the repository root, and with a global config folder", async () => {
    const { cosmiconfig } = await import("cosmiconfig");
    const xdg = process.env.XDG_CONFIG_HOME;
    const layouts: Array<{ place: string; kind: (typeof what)[number] } | null> = [null, ...places.flatMap((place) => what.map((kind) => ({ place, kind })))];
    try {
      for (const [round, layout] of layouts.entries()) {
        const dir = repo();
        const cwd = path.join(dir, "sub", "deeper");
        fs.mkdirSync(cwd, { recursive: true });
        process.env.XDG_CONFIG_HOME = path.join(dir, "xdg");
        if (layout) {
          const file = path.join(dir, layout.place);
          const isPackage = layout.place.endsWith("package.json");
          if (layout.kind === "folder") fs.mkdirSync(file, { recursive: true });
          else if (layout.kind === "not-json") fs.writeFileSync(file, '{ "name": "x",');
          else fs.writeFileSync(file, layout.kind === "empty" ? "" : isPackage ? JSON.stringify(layout.kind === "config" ? { "migration-lint": { extends: "recommended" } } : { name: "x" }) : /\.[cm]?[jt]s$/.test(layout.place) ? "export default {};" : '{ "extends": "recommended" }');
        }
        const global = round % 40 === 39;
        if (global) fs.mkdirSync(path.join(dir, "xdg", "migration-lint"), { recursive: true });
        const search = await cosmiconfig("migration-lint", { searchPlaces: CONFIG_FILES, searchStrategy: "global", stopDir: dir, cache: false, loaders: { ".js": () => ({}), ".mjs": () => ({}), ".cjs": () => ({}), ".ts": () => ({}), ".mts": () => ({}), ".cts": () => ({}) } })
          .search(cwd)
          .catch(() => "failed");
        if (search !== null) expect(mayFindConfig(cwd), `${JSON.stringify(layout)}: cosmiconfig found ${JSON.stringify(search)}`).toBe(true);
        if (!layout && !global) expect(mayFindConfig(cwd)).toBe(false);
      }
    } finally {
      if (xdg === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = xdg;
    }
  });

  it("with no config anywhere, the configuration is the default one (cosmiconfig not consulted)", async () => {
    const dir = repo({ "prisma/schema.prisma": "" });
    expect(mayFindConfig(dir)).toBe(false);
    expect((await loadConfig({ cwd: dir })).filepath).toBeNull();
  });
});
