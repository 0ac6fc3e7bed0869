/**
 * User code that tries to end the run: process.exit(0) in a config, a plugin
 * (at import, in create(), in a visitor, in a timer) or a formatter ended the
 * CLI with exit 0 and no report, and the supervised worker with exit 13 and no
 * message. Now the call is refused and reported with the file and line that
 * made it; a run never ends green without its report.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DROP_SQL, cleanupTemp, cli, expectFailure, expectNoCrash, json, messagesOf, migrationFile, project, write } from "./helpers.js";

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
