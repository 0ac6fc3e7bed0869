/**
 * User code that tries to end the run: process.exit(0) in a config, a plugin
 * (at import, in create(), in a visitor, in a timer) or a formatter ended the
 * CLI with exit 0 and no report, and the supervised worker with exit 13 and no
 * message. Now the call is refused and reported with the file and line that
 * made it; a run never ends green without its report.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DROP_SQL, cleanupTemp, cli, expectFailure, expectNoCrash, json, messagesOf, migrationFile, project, tempDir, write } from "./helpers.js";

afterAll(cleanupTemp);

const DROP = "20240301000000_drop_email";

/** A plugin with one rule `exits/r`; `code` runs where the test says (`WHERE` is "import", "create", "visitor" or "timer"). */
function exitingPlugin(where: string): string {
  return `const where = ${JSON.stringify(where)};
if (where === "import") process.exit(0);
if (where === "timer") setTimeout(() => process.exit(0), 1);
export default { rules: { r: {
  meta: { id: "r", docs: { description: "exits", preset: "recommended" }, messages: { m: "m" }, defaultSeverity: "error" },
  create() {
    if (where === "create") process.exit(0);
    return { Migration() { if (where === "visitor") process.exit(0); for (let i = 0; i < 2e7; i++); } };
  },
} } };
`;
}

function withPlugin(where: string): string {
  const dir = project({ [DROP]: DROP_SQL });
  write(dir, {
    "exits.mjs": exitingPlugin(where),
    ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: ["./exits.mjs"], rules: { "exits/r": "error" } }),
  });
  return dir;
}

describe("process.exit(0) from user code never ends the run green", () => {
  it("in a JavaScript config: exit 2 naming the config and the line of the call", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": 'const x = 1;\nprocess.exit(0);\nexport default {};\n' });
    const config = path.join(dir, "migration-lint.config.mjs");
    expectFailure(cli(["--cwd", dir]), config, new RegExp(`process\\.exit\\(0\\) was called at ${config.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2`));
  });

  it("in a plugin at import: exit 2 naming the plugin file", () => {
    const dir = withPlugin("import");
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), new RegExp(`failed to load: process\\.exit\\(0\\) was called at .*exits\\.mjs:2`));
  });

  for (const where of ["create", "visitor"]) {
    it(`in a rule's ${where === "create" ? "create()" : "visitor"}: an internal-error finding naming the call, every other finding reported (exit 1)`, () => {
      const dir = withPlugin(where);
      const run = cli(["--cwd", dir, "--format", "json"]);
      expectNoCrash(run);
      expect(run.status).toBe(1);
      const drop = messagesOf(json(run), migrationFile(dir, DROP));
      expect(drop.map((m) => m.ruleId).sort()).toEqual(["destructive-change", "internal-error"]);
      expect(drop.find((m) => m.ruleId === "internal-error")!.message).toMatch(new RegExp(`Rule "exits/r" crashed .*process\\.exit\\(0\\) was called at .*exits\\.mjs:${where === "create" ? 7 : 8}`));
    });
  }

  it("in a plugin's timer: the report is written, the call is named, exit 2", () => {
    const dir = withPlugin("timer");
    const run = cli(["--cwd", dir, "--format", "json"]);
    expectNoCrash(run);
    expect(run.status).toBe(2);
    expect(messagesOf(json(run), migrationFile(dir, DROP)).map((m) => m.ruleId)).toEqual(["destructive-change"]);
    expect(run.stderr).toMatch(/^migration-lint: process\.exit\(0\) was called at .*exits\.mjs:3/m);
  });

  it("in a formatter: exit 2 naming the formatter file", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "fmt.mjs": "export default () => {\n  process.exit(0);\n};\n" });
    const run = cli(["--cwd", dir, "--format", "./fmt.mjs"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`process\\.exit\\(0\\) was called at .*fmt\\.mjs:2`));
  });

  it("a timer a formatter leaves running does not keep a finished run alive", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "fmt.mjs": 'setInterval(() => {}, 1000);\nexport default (results) => `${results.length} files\\n`;\n' });
    const run = cli(["--cwd", dir, "--format", "./fmt.mjs"], { timeout: 15_000 });
    expect(run.stdout).toBe("2 files\n");
    expect(run.status).toBe(1);
  });
});

/** A rules folder whose one rule loops forever on DROP COLUMN. */
function withSpinningRule(): string {
  const dir = project({ [DROP]: DROP_SQL });
  write(dir, {
    "rules/spin.mjs": 'export default { meta: { id: "spin", type: "problem", docs: { description: "spins", preset: "all" }, defaultSeverity: "error", messages: { m: "m" } }, create: () => ({ "drop-column": () => { for (;;) {} } }) };\n',
    ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: { spin: "error" } }),
  });
  return dir;
}

describe("user code never hangs the run: --rule-time-budget stops it in every mode", () => {
  it("a plugin that loops at import: exit 2 naming it, within the budget", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "loop.mjs": "for (;;) {}\n", ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: ["./loop.mjs"] }) });
    const run = cli(["--cwd", dir, "--rule-time-budget", "1000"], { timeout: 30_000 });
    expectFailure(run, null, /Loading plugin "\.\/loop\.mjs" did not finish within 1000 ms \(an endless loop at import\?\) and was stopped; nothing was checked/);
  });

  it("a JavaScript config that loops at import: exit 2 naming it", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": "for (;;) {}\nexport default {};\n" });
    const run = cli(["--cwd", dir, "--rule-time-budget", "1000"], { timeout: 30_000 });
    expectFailure(run, null, new RegExp(`Loading the configuration .*migration-lint\\.config\\.mjs did not finish within 1000 ms`));
  });

  for (const [when, code] of [["loading", "for (;;) {}\nexport default () => \"\";\n"], ["formatting", "export default () => {\n  for (;;) {}\n};\n"]]) {
    it(`a formatter module that loops while ${when}: exit 2 naming it`, () => {
      const dir = project({ [DROP]: DROP_SQL });
      write(dir, { "fmt.mjs": code! });
      const run = cli(["--cwd", dir, "--format", "./fmt.mjs", "--rule-time-budget", "1000"], { timeout: 30_000 });
      expectFailure(run, null, new RegExp(`Formatter "\\./fmt\\.mjs" \\(.*fmt\\.mjs\\) did not finish ${when} within 1000 ms`));
    });
  }

  for (const mode of ["--replay", "--drift-only"]) {
    it(`a rule that loops forever under ${mode}: stopped and reported, every other finding there (exit 1)`, () => {
      const dir = withSpinningRule();
      const run = cli(["--cwd", dir, "--rulesdir", "rules", mode, "--rule-time-budget", "1000", "--format", "json"], { timeout: 150_000 });
      expectNoCrash(run);
      expect(run.status, run.stderr).toBe(1);
      const drop = messagesOf(json(run), migrationFile(dir, DROP));
      expect(drop.map((m) => m.ruleId)).toContain("destructive-change");
      expect(drop.find((m) => m.ruleId === "internal-error")!.message).toMatch(/Rule "spin" did not finish within 1000 ms on 20240301000000_drop_email/);
    }, 180_000);
  }
});

/**
 * User code the CLI used to load on its own thread, before any supervisor: the config --print-config reads
 * (with its plugins and --rulesdir rules), a config in cosmiconfig's global folder, and a file a data config
 * pulls in with `$import`. Each now loads in the supervised worker: an endless loop there is stopped, and
 * process.exit and console.log are contained as in a lint run.
 */
describe("user code loaded before a run is supervised too", () => {
  const BUDGET = ["--rule-time-budget", "1000"];
  const LOOP = "for (;;) {}\nexport default {};\n";

  it("--print-config with a config that loops at import: exit 2 naming it, within the budget", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": LOOP });
    const run = cli(["--cwd", dir, "--print-config", ...BUDGET], { timeout: 30_000 });
    expectFailure(run, null, /Loading the configuration did not finish within 1000 ms \(an endless loop at import\?\) and was stopped/);
  });

  it("--print-config with a plugin that loops at import: exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "loop.mjs": "for (;;) {}\n", ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: ["./loop.mjs"] }) });
    const run = cli(["--cwd", dir, "--print-config", ...BUDGET], { timeout: 30_000 });
    expectFailure(run, null, /did not finish within 1000 ms/);
  });

  it("--print-config with a config that calls process.exit(0) from a timer: the config is printed, the call named, exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": 'setTimeout(() => process.exit(0), 1);\nexport default { extends: "recommended" };\n' });
    const run = cli(["--cwd", dir, "--print-config"]);
    expect(run.status, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).extends).toEqual(["recommended"]);
    expect(run.stderr).toMatch(/process\.exit\(0\) was called at .*migration-lint\.config\.mjs:1/);
  });

  it("--print-config with a config that calls console.log: stdout is the configuration alone", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": 'console.log("hello from the config");\nexport default { extends: "recommended" };\n' });
    const run = cli(["--cwd", dir, "--print-config"]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).configFile).toBe(path.join(dir, "migration-lint.config.mjs"));
    expect(run.stderr).toContain("hello from the config");
  });

  /** A folder to use as XDG_CONFIG_HOME, with `migration-lint/config.mjs` holding `code`. */
  function globalConfig(code: string): NodeJS.ProcessEnv {
    const home = tempDir("global");
    write(home, { "xdg/migration-lint/config.mjs": code });
    return { XDG_CONFIG_HOME: path.join(home, "xdg") };
  }

  it("a global config (cosmiconfig's global folder) that loops at import: exit 2, within the budget", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, ...BUDGET], { timeout: 30_000, env: globalConfig(LOOP) });
    expectFailure(run, null, /Loading the configuration did not finish within 1000 ms/);
  });

  it("a global config that calls process.exit(0) from a timer: the report is written, the call named, exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, "-f", "json"], { env: globalConfig('setTimeout(() => process.exit(0), 1);\nexport default { extends: "recommended" };\n') });
    expect(run.status, run.stderr).toBe(2);
    expect(json(run)).toHaveLength(2);
    expect(run.stderr).toMatch(/process\.exit\(0\) was called at .*config\.mjs:1/);
  });

  it("a global config that calls console.log: the JSON report on stdout stays parseable", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, "-f", "json"], { env: globalConfig('console.log("hello from the global config");\nexport default { extends: "recommended" };\n') });
    expect(run.status, run.stderr).toBe(1);
    expect(json(run)).toHaveLength(2);
    expect(run.stderr).toContain("hello from the global config");
  });

  it("a JSON config whose $import is a JavaScript file that loops: exit 2, within the budget", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "base.mjs": LOOP, ".migration-lintrc.json": JSON.stringify({ $import: "./base.mjs", extends: "recommended" }) });
    const run = cli(["--cwd", dir, ...BUDGET], { timeout: 30_000 });
    expectFailure(run, null, /did not finish within 1000 ms/);
  });
});

describe("what user code throws outside a rule is shown like every other line", () => {
  const THROWS = 'setTimeout(() => { throw new Error("boom \\x1b[2J\\x1b]0;owned\\x07\\r\\n::error::x postgresql://deploy:hunter2@db.example.com/app"); }, 1);\n';
  const check = (run: ReturnType<typeof cli>) => {
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/Error thrown outside any rule at .*:1 .*boom/);
    expect(run.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(run.stderr).not.toMatch(/^::error/m);
    expect(run.stderr).not.toContain("hunter2");
  };

  it("from a plugin's timer in the supervised worker: control characters escaped, no password", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "throws.mjs": `${THROWS}export default { rules: {} };\n`, ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: ["./throws.mjs"] }) });
    check(cli(["--cwd", dir, "-f", "json"]));
  });

  it("from a config's timer on the CLI's own thread: control characters escaped, no password", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "migration-lint.config.mjs": `${THROWS}export default { extends: "recommended" };\n` });
    check(cli(["--cwd", dir, "-f", "json"], { env: { MIGRATION_LINT_NO_WORKER: "1" } }));
  });
});
