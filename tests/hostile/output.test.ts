/**
 * Where migration-lint writes and how it fails: every file it writes (the report of -o, the cache, the
 * baseline) refuses to overwrite a file that is not its own; stdout carries the report and nothing else;
 * every failure to write or to start is one line naming the file or option, exit 2, never a stack trace.
 * The files of -o and --cache-location are relative to the shell's directory (src/cli/paths.ts): these runs start in the project.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, DROP_SQL, SCHEMA, cleanupTemp, cli, expectFailure, expectNoCrash, json, project, write } from "./helpers.js";

afterAll(cleanupTemp);

const DROP = "20240301000000_drop_email";
const schemaOf = (dir: string) => path.join(dir, "prisma", "schema.prisma");

describe("files migration-lint writes never overwrite what is not theirs", () => {
  it("--cache-location pointing at the schema is refused and the schema is untouched", () => {
    const dir = project({ [DROP]: DROP_SQL });
    expectFailure(cli(["--cwd", dir, "--cache", "--cache-location", "prisma/schema.prisma"], { cwd: dir }), schemaOf(dir), /not a migration-lint cache/);
    expect(fs.readFileSync(schemaOf(dir), "utf8")).toBe(SCHEMA);
  });

  it("--cache-location over an old or truncated cache is fine: it is replaced", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { ".cache.json": '{"format":1,"tool":"0.0.1","proj' });
    const run = cli(["--cwd", dir, "--cache", "--cache-location", ".cache.json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, ".cache.json"), "utf8")).format).toBeGreaterThan(1);
  });

  it("-o over a file the run reads, or over a source file, is refused", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "src/app.ts": "export {};\n", "package.json": "{}\n" });
    expectFailure(cli(["--cwd", dir, "-o", "prisma/schema.prisma"], { cwd: dir }), schemaOf(dir), /Refusing to write the report .*one of the files this run reads/);
    expectFailure(cli(["--cwd", dir, "-o", "src/app.ts"], { cwd: dir }), path.join(dir, "src/app.ts"), /Refusing .*a source file, not a report/);
    expectFailure(cli(["--cwd", dir, "-o", "package.json"], { cwd: dir }), path.join(dir, "package.json"), /Refusing/);
    expect(fs.readFileSync(schemaOf(dir), "utf8")).toBe(SCHEMA);
    expect(fs.readFileSync(path.join(dir, "src/app.ts"), "utf8")).toBe("export {};\n");
  });

  it("-o over the config file is refused, also when the supervised worker reads it (a JSON config with $import)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const config = '{ "$import": "./base.json", "rules": { "destructive-change": "error" } }\n';
    write(dir, { "lint-settings.json": config, "base.json": '{ "extends": "recommended" }\n' });
    expectFailure(cli(["--cwd", dir, "-c", "lint-settings.json", "-o", "lint-settings.json"], { cwd: dir }), path.join(dir, "lint-settings.json"), /Refusing to write the report .*one of the files this run reads/);
    expect(fs.readFileSync(path.join(dir, "lint-settings.json"), "utf8")).toBe(config);
  });

  it("-o over an earlier report overwrites it, as ESLint does", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "reports/lint.json": "old report" });
    const run = cli(["--cwd", dir, "-f", "json", "-o", "reports/lint.json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "reports/lint.json"), "utf8"))).toHaveLength(2);
  });

  it("--write-baseline over a file that is not a baseline is refused", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "notes.json": '{ "important": true }\n', ".migration-lint-baseline.json": '{ "important": true }\n' });
    expectFailure(cli(["--cwd", dir, "--baseline", "notes.json", "--write-baseline"]), path.join(dir, "notes.json"), /The baseline must be/);
    // --no-baseline reads none first: the write itself checks what it would overwrite
    expectFailure(cli(["--cwd", dir, "--no-baseline", "--write-baseline"]), path.join(dir, ".migration-lint-baseline.json"), /Refusing .*not a migration-lint baseline/);
    expectFailure(cli(["--cwd", dir, "--baseline", "prisma/schema.prisma", "--write-baseline"]), schemaOf(dir), /baseline/);
    expect(fs.readFileSync(path.join(dir, "notes.json"), "utf8")).toBe('{ "important": true }\n');
    expect(fs.readFileSync(schemaOf(dir), "utf8")).toBe(SCHEMA);
  });

  it("--write-baseline when nothing could be checked: exit 2, said so, no baseline written", () => {
    const dir = project({ [DROP]: "CREAT TABEL oops;\n" }, { init: false });
    const run = cli(["--cwd", dir, "--write-baseline"]);
    expectFailure(run, null, /nothing was checked: not one statement of the 1 migration in scope could be read or parsed/);
    expect(fs.existsSync(path.join(dir, ".migration-lint-baseline.json"))).toBe(false);
  });

  it("--write-baseline when a plugin's timer calls process.exit: exit 2 naming the call, no baseline written", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "exits.mjs": "setTimeout(() => process.exit(0), 1);\nexport default { rules: {} };\n", ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: ["./exits.mjs"] }) });
    const run = cli(["--cwd", dir, "--write-baseline"]);
    expectFailure(run, null, /process\.exit\(0\) was called at .*exits\.mjs:1/);
    expect(fs.existsSync(path.join(dir, ".migration-lint-baseline.json"))).toBe(false);
  });
});

describe("-o that cannot be written: one line naming the file, exit 2", () => {
  it("under a path whose parent is a file", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "afile": "x" });
    expectFailure(cli(["--cwd", dir, "-o", "afile/report.txt"], { cwd: dir }), path.join(dir, "afile/report.txt"), /afile is a file, not a folder/);
  });

  it("on a full disk (/dev/full)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    expectFailure(cli(["--cwd", dir, "-o", "/dev/full"]), "/dev/full", /no space left on device \(ENOSPC\)/);
  });

  it("under /proc, where recursive mkdir spins forever: an error within seconds", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, "-o", "/proc/migration-lint/report.txt"], { timeout: 20_000 });
    expectFailure(run, "/proc/migration-lint/report.txt", /cannot create the folder \/proc\/migration-lint/);
  });

  it("a folder", () => {
    const dir = project({ [DROP]: DROP_SQL });
    expectFailure(cli(["--cwd", dir, "-o", "prisma"], { cwd: dir }), path.join(dir, "prisma"), /it is a folder/);
  });
});

describe("stdout", () => {
  it("closed early (| head -1): exits quietly, no EPIPE stack trace", () => {
    const dir = project({ [DROP]: DROP_SQL });
    // `true` exits at once, long before the report is written: the write fails with EPIPE
    const run = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" --cwd "${dir}" | true`], { encoding: "utf8" });
    expectNoCrash(run);
    expect(run.stderr).toBe("");
  });

  it("console.log from a config goes to stderr: the JSON report on stdout stays parseable", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": 'console.log("hello from the config");\nexport default { extends: "recommended" };\n' });
    const run = cli(["--cwd", dir, "-f", "json"]);
    expect(run.status, run.stderr).toBe(1);
    expect(json(run)).toHaveLength(2);
    expect(run.stderr).toContain("hello from the config");
  });

  it("a plugin is imported once, and its console output goes to stderr", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "plugin.mjs": 'console.log("plugin loaded");\nexport default { rules: {} };\n',
      ".migration-lintrc.json": '{ "extends": "recommended", "plugins": ["./plugin.mjs"] }',
    });
    const run = cli(["--cwd", dir, "-f", "sarif"]);
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).version).toBe("2.1.0");
    expect(run.stderr.match(/plugin loaded/g)).toHaveLength(1);
  });
});

describe("user code that fails: one line naming it, exit 2", () => {
  it("an async formatter that rejects", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "formatter.mjs": 'export default async () => { throw new Error("nope"); };\n' });
    expectFailure(cli(["--cwd", dir, "-f", "./formatter.mjs"]), null, /Formatter "\.\/formatter\.mjs" .*returned a Promise/);
  });

  it("a formatter that throws", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "formatter.mjs": "export default () => { throw null; };\n" });
    expectFailure(cli(["--cwd", dir, "-f", "./formatter.mjs"]), null, /Formatter "\.\/formatter\.mjs" .*failed: it threw null/);
  });

  it("a config that throws null", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": "throw null;\n" });
    expectFailure(cli(["--cwd", dir]), path.join(dir, "migration-lint.config.mjs"), /Cannot read configuration: it threw null/);
  });
});

describe("keys from user input are never Object.prototype's members", () => {
  it.each(["constructor", "__proto__", "toString"])("explain %s", (id) => {
    expectFailure(cli(["explain", id]), null, new RegExp(`unknown rule "${id}"`));
  });

  it.each(['{ "rules": { "__proto__": "error" } }', '{ "rules": { "constructor": "error" } }', '{ "constructor": 1 }', '{ "__proto__": 1 }', '{ "rules": { "destructive-change": "toString" } }', '{ "extends": ["plugin:x/constructor"] }'])(
    "config %s",
    (config) => {
      const dir = project({ [DROP]: DROP_SQL });
      write(dir, { ".migration-lintrc.json": config });
      expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /Unknown|severity must be/);
    },
  );

  it("a --rulesdir rule whose id is __proto__ is a rule like any other", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "rules/proto.mjs":
        'export default { meta: { id: "__proto__", type: "problem", docs: { description: "x", preset: "all" }, messages: { hit: "hit {{constructor}}" }, defaultSeverity: "warn" }, create: (c) => ({ "drop-column": (op) => c.report({ node: op, messageId: "hit" }) }) };\n',
      ".migration-lintrc.json": '{ "extends": "recommended", "rules": { "__proto__": "warn" } }',
    });
    const run = cli(["--cwd", dir, "--rulesdir", "rules", "-f", "json"]);
    expectNoCrash(run);
    const messages = json(run).flatMap((r) => r.messages).filter((m) => m.ruleId === "__proto__");
    expect(messages.length, run.stderr).toBeGreaterThan(0);
    // a placeholder with no data stays a placeholder, not Object.prototype.constructor's source
    expect(messages[0]!.message).toBe("hit {{constructor}}");
  });
});

describe("the working directory", () => {
  it("longer than PATH_MAX: one line, exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    // process.chdir takes a relative path one level at a time; the child inherits the deep folder
    const script = `const fs = require("fs"); process.chdir(${JSON.stringify(dir)});
      for (let i = 0; i < 25; i++) { fs.mkdirSync("d".repeat(200)); process.chdir("d".repeat(200)); }
      const r = require("child_process").spawnSync(process.execPath, [${JSON.stringify(BIN)}], { encoding: "utf8" });
      process.stdout.write(JSON.stringify({ status: r.status, stdout: r.stdout, stderr: r.stderr }));`;
    const outer = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    const run = JSON.parse(outer.stdout) as { status: number; stdout: string; stderr: string };
    expectFailure({ ...run, ms: 0 }, null, /cannot read the working directory .*pass --cwd/);
  });
});

describe("control characters in SQL identifiers and file names never reach the terminal raw", () => {
  const evil = 'Us\x1b[2J\x1b]0;owned\x07er\r\n::error file=x::injected';
  it.each(["stylish", "compact", "markdown", "github", "junit"])("%s", (format) => {
    const quoted = `"${evil.replace(/"/g, '""')}"`;
    const dir = project({
      "20240201000000_evil": `CREATE TABLE ${quoted} ("id" INTEGER NOT NULL);\n`,
      "20240301000000_drop_evil": `DROP TABLE ${quoted};\n`,
      "20240401000000_x\x1b[31m\n::warning::folder": DROP_SQL,
    });
    const run = cli(["--cwd", dir, "-f", format]);
    expectNoCrash(run);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("injected"); // the finding is there, shown escaped
    expect(run.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    for (const line of run.stdout.split("\n")) expect(line).not.toMatch(/^::(error file=x|warning::folder)/);
  });

  it("nor do error messages on stderr that quote a file name", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, "--schema", "nope\x1b]0;owned\x07\n::error::x.prisma"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("\\x1b]0;owned\\x07\\n::error::x.prisma");
    expect(run.stderr.split("\n").filter((l) => l.startsWith("::"))).toEqual([]);
    expect(run.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });
});
