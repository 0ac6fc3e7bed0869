/**
 * Hostile configurations and plugins: a bad config stops the run with exit 2
 * and one line naming the file (and line when there is one); a rule that
 * crashes becomes an internal-error finding and everything else is linted.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { DROP_SQL, HOSTILE_FIXTURES, INIT_SQL, cleanupTemp, cli, expectFailure, expectInside, expectNoCrash, json, messagesOf, migrationFile, project, ruleIds, write } from "./helpers.js";

afterAll(cleanupTemp);

const DROP = "20240301000000_drop_email";
const plugin = (name: string) => path.join(HOSTILE_FIXTURES, "plugins", name);

/** A project with one DROP COLUMN migration and the given config files. */
function withConfig(files: Record<string, string>): string {
  const dir = project({ [DROP]: DROP_SQL });
  write(dir, files);
  return dir;
}

describe("config files that cannot be used: exit 2, one line naming the file", () => {
  it("invalid JSON, with its line", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{\n  "rules": {\n    "destructive-change": "warn",\n  }\n}\n' });
    expectFailure(cli(["--cwd", dir]), `${path.join(dir, ".migration-lintrc.json")}:4`, /Cannot read configuration/);
  });

  it("invalid YAML, with its line", () => {
    const dir = withConfig({ ".migration-lintrc.yaml": "rules:\n  destructive-change: [warn\n  prefer-text: : error\n" });
    expectFailure(cli(["--cwd", dir]), `${path.join(dir, ".migration-lintrc.yaml")}:3`, /Cannot read configuration/);
  });

  it("a TypeScript config with a syntax error, with its line", () => {
    const dir = withConfig({ "migration-lint.config.ts": 'const config: object = { rules: { "destructive-change": "warn" }\nexport default config;\n' });
    expectFailure(cli(["--cwd", dir]), `${path.join(dir, "migration-lint.config.ts")}:2`, /Cannot read configuration: .*Unexpected token/);
  });

  it("a JavaScript config with a syntax error, with its line (found by node --check)", () => {
    const dir = withConfig({ "migration-lint.config.mjs": 'const config = { rules: { "destructive-change": "warn" } }\nexport default config;;\n)\n' });
    expectFailure(cli(["--cwd", dir]), `${path.join(dir, "migration-lint.config.mjs")}:3`, /Cannot read configuration: Unexpected token '\)'/);
  });

  it("a JavaScript config that throws", () => {
    const dir = withConfig({ "migration-lint.config.mjs": 'throw new Error("config exploded");\n' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, "migration-lint.config.mjs"), /Cannot read configuration: config exploded/);
  });

  it("a config that is not an object", () => {
    const dir = withConfig({ ".migration-lintrc.json": "[1, 2]\n" });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /must be an object/);
  });

  it("an unknown rule", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "rules": { "no-such-rule": "error" } }' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /Unknown rule "no-such-rule"/);
  });

  it("an unknown key", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "rulez": {} }' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /Unknown configuration key "rulez"/);
  });

  it.each([
    ['["error", { "allowPreserved": "yes" }]', /option "allowPreserved" must be boolean/],
    ['["error", "yes"]', /options must be an object/],
    ['"loud"', /severity must be "off", "warn", "error"/],
  ])("a bad rule setting %s", (setting, message) => {
    const dir = withConfig({ ".migration-lintrc.json": `{ "extends": "recommended", "rules": { "destructive-change": ${setting} } }` });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), message);
  });

  it("-c naming a file that does not exist", () => {
    const dir = withConfig({});
    expectFailure(cli(["--cwd", dir, "-c", "missing.json"]), null, /Config file not found: .*missing\.json/);
  });
});

describe("configs that would check nothing: exit 2, never a clean run", () => {
  it("a config whose rules turn everything off and that extends nothing", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "rules": { "destructive-change": "off" } }' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /The configuration enables no rule \(it has no "extends" and its "rules" turn none on\), so nothing would be checked/);
  });

  it("an empty config file keeps ESLint's meaning (no rules) and is said so too", () => {
    const dir = withConfig({ ".migration-lintrc.json": "{}" });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /enables no rule/);
  });

  it('"startAfter" after the newest migration: exit 2 naming the config, or a note with --no-error-on-unmatched-pattern', () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "extends": "recommended", "startAfter": "20991231000000_future" }' });
    const config = path.join(dir, ".migration-lintrc.json");
    expectFailure(cli(["--cwd", dir]), config, /"startAfter": "20991231000000_future" leaves none of the 2 migrations in prisma\/migrations to lint \(the newest is 20240301000000_drop_email\)/);
    const run = cli(["--cwd", dir, "--no-error-on-unmatched-pattern"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/note: "startAfter": .* leaves none of the 2 migrations/);
  });

  it('"ignore" that matches every migration: exit 2', () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "extends": "recommended", "ignore": ["2024*"] }' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /"ignore": \["2024\*"\] leaves none of the 2 migrations/);
  });

  it("a path naming an ignored migration is not an error (pre-commit passes what changed)", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "extends": "recommended", "ignore": ["2024*"] }' });
    const run = cli(["--cwd", dir, `prisma/migrations/${DROP}/migration.sql`]);
    expectNoCrash(run);
    expect(run.status).toBe(0);
  });
});

describe("plugins", () => {
  it("a plugin package that does not exist", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "plugins": ["migration-lint-plugin-does-not-exist"] }' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /Plugin "migration-lint-plugin-does-not-exist" not found/);
  });

  it("a plugin path that does not exist", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "plugins": ["./plugins/nope.mjs"] }' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /Plugin "\.\/plugins\/nope\.mjs" failed to load/);
  });

  it("a plugin that throws while loading", () => {
    const dir = withConfig({ ".migration-lintrc.json": JSON.stringify({ plugins: [plugin("throws-on-load.mjs")] }) });
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /failed to load: plugin exploded while loading/);
  });

  it("a plugin with a syntax error", () => {
    const dir = withConfig({ ".migration-lintrc.json": '{ "plugins": ["./broken.mjs"] }', "broken.mjs": "export default { rules: {\n" });
    const at = `${path.join(dir, "broken.mjs")}:2`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), new RegExp(`Plugin "\\./broken\\.mjs" failed to load: Unexpected end of input \\(${at}\\)`));
  });

  it("a rules folder file with a syntax error: the file and its line", () => {
    const dir = withConfig({ "rules/bad.mjs": "export default {\n  meta: ,\n};\n" });
    expectFailure(cli(["--cwd", dir, "--rulesdir", "rules"]), `${path.join(dir, "rules", "bad.mjs")}:2`, /Rule file failed to load: Unexpected token ','/);
  });

  it("a rule whose visitor throws: an internal-error finding at the statement, every other finding still reported (CLI)", () => {
    const dir = withConfig({
      ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: [plugin("crashing-rule.mjs")], rules: { "crashing-rule/crash": "error", "crashing-rule/broken-create": "warn" } }),
    });
    write(dir, { "prisma/migrations/20240401000000_add_nickname/migration.sql": 'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n' });
    const run = cli(["--cwd", dir, "--format", "json"]);
    expectNoCrash(run);
    expect(run.status).toBe(1);
    const results = json(run);
    const drop = messagesOf(results, migrationFile(dir, DROP));
    expectInside(drop, DROP_SQL);
    expect(drop.map((m) => [m.ruleId, m.line])).toEqual([
      ["internal-error", 1], // broken-create: create() threw, reported at the top of each linted migration
      ["destructive-change", 2],
      ["internal-error", 2], // crash: its drop-column visitor threw on line 2
    ]);
    expect(drop.map((m) => m.message).filter((m) => m.includes("crashed"))).toEqual([
      expect.stringMatching(/Rule "crashing-rule\/broken-create" crashed on 20240301000000_drop_email: Error: create exploded/),
      expect.stringMatching(/Rule "crashing-rule\/crash" crashed on 20240301000000_drop_email: TypeError: visitor exploded/),
    ]);
    // the crashing rule still works on the migration after it
    const after = messagesOf(results, migrationFile(dir, "20240401000000_add_nickname"));
    expect(ruleIds(after)).toContain("crashing-rule/crash");
    expect(ruleIds(after)).toContain("internal-error");
  });

  // Engine bug (src/engine/linter.ts, lintProject's "Project:exit" pass): the last migration's rules are
  // created a second time, so a rule whose create() throws is reported twice there, with the same fingerprint.
  it("a rule whose create() throws is reported once per migration", () => {
    const dir = withConfig({ ".migration-lintrc.json": JSON.stringify({ plugins: [plugin("crashing-rule.mjs")], rules: { "crashing-rule/broken-create": "error" } }) });
    const messages = messagesOf(json(cli(["--cwd", dir, "--format", "json"])), migrationFile(dir, DROP));
    expect(messages.map((m) => m.ruleId)).toEqual(["internal-error"]);
  });

  it("a rule whose visitor throws (API)", async () => {
    const results = await lintText({
      migrations: [{ name: "20240101000000_init", sql: INIT_SQL }, { name: DROP, sql: DROP_SQL }],
      config: { extends: "recommended", plugins: [plugin("crashing-rule.mjs")], rules: { "crashing-rule/crash": "error" } },
    });
    expect(results[0]!.messages.map((m) => [m.ruleId, m.line, m.severity])).toEqual([
      ["destructive-change", 2, 2],
      ["internal-error", 2, 2],
    ]);
  });

  it("a slow rule is switched off by the time budget, every other finding still reported (API)", async () => {
    const sql = `${DROP_SQL}${Array.from({ length: 8 }, (_, i) => `SELECT ${i};`).join("\n")}\n`;
    const results = await lintText({
      migrations: [{ name: "20240101000000_init", sql: INIT_SQL }, { name: DROP, sql }],
      config: { extends: "recommended", plugins: [plugin("slow-rule.mjs")], rules: { "slow-rule/sluggish": "warn" } },
      ruleTimeBudgetMs: 100,
    });
    const messages = results[0]!.messages;
    expectInside(messages, sql);
    expect(ruleIds(messages)).toContain("destructive-change");
    const budget = messages.filter((m) => m.ruleId === "internal-error");
    expect(budget).toHaveLength(1);
    expect(budget[0]!.message).toMatch(/Rule "slow-rule\/sluggish" used more than its time budget/);
  });

  // Rules that break the rule contract: each was an engine bug found by this suite (the comment above each
  // test says what happened before the fix); the engine now turns each into a finding or a config error.
  describe("rules that break the contract", () => {
    const misbehaving = (rule: string) =>
      withConfig({ ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: [plugin("misbehaving-rules.mjs")], rules: { [`misbehaving-rules/${rule}`]: "error" } }) });

    // Was: the visitor's returned promise was dropped, so its rejection was unhandled: Node printed the stack
    // trace and exited with 1 after the report.
    it("an async visitor that rejects: an internal-error finding, no unhandled rejection", () => {
      const dir = misbehaving("async");
      const run = cli(["--cwd", dir, "--format", "json"]);
      expectNoCrash(run);
      expect(run.status).toBe(1);
      expect(ruleIds(messagesOf(json(run), migrationFile(dir, DROP)))).toEqual(["destructive-change", "internal-error"]);
    });

    // Was: a rule's range was used as given: line 0, column -3.
    it("a report with a range outside the file is clamped into it", () => {
      const dir = misbehaving("bad-range");
      const drop = messagesOf(json(cli(["--cwd", dir, "--format", "json"])), migrationFile(dir, DROP));
      expectInside(drop, DROP_SQL);
    });

    // Was: String(err) threw in internalError(), and the whole run ended with "internal error" (exit 2).
    it("a rule that throws an object whose toString throws: still an internal-error finding", () => {
      const dir = misbehaving("evil-throw");
      const run = cli(["--cwd", dir, "--format", "json"]);
      expectNoCrash(run);
      expect(run.status).toBe(1);
    });

    // Was: validateOptions() read rule.meta.defaultOptions of a rule without meta: "internal error: Cannot read
    // properties of undefined (reading 'defaultOptions')", exit 2 without the file.
    it("a plugin rule without meta: a config error naming the plugin and the rule", () => {
      const dir = withConfig({ ".migration-lintrc.json": JSON.stringify({ plugins: [plugin("no-meta-rule.mjs")], rules: { "no-meta-rule/bare": "error" } }) });
      expectFailure(cli(["--cwd", dir]), path.join(dir, ".migration-lintrc.json"), /no-meta-rule\/bare.*meta/);
    });
  });

  // The engine's per-rule time budget (src/engine/linter.ts) is checked between visitor calls, so alone it cannot
  // stop a visitor that never returns; since commit 9c66df8 the CLI lints in a worker watched from the main thread (src/cli/supervise.ts),
  // which stops it. Expected: an internal-error finding naming the stuck rule, every other rule and migration still
  // reported, exit 1. (lintText/runLint run on the caller's thread and have no such guard.)
  it("a rule that loops forever is stopped by the time budget (CLI)", () => {
    const dir = withConfig({ ".migration-lintrc.json": JSON.stringify({ extends: "recommended", plugins: [plugin("looping-rule.mjs")], rules: { "looping-rule/spin": "error" } }) });
    const run = cli(["--cwd", dir, "--format", "json", "--rule-time-budget", "1000"], { timeout: 20_000 });
    expectNoCrash(run);
    expect(run.status).toBe(1);
    const drop = messagesOf(json(run), migrationFile(dir, DROP));
    expect(drop.map((m) => m.ruleId).sort()).toEqual(["destructive-change", "internal-error"]);
    expect(drop.find((m) => m.ruleId === "internal-error")!.message).toMatch(/looping-rule\/spin/);
  });
});
