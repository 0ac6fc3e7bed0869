/**
 * SARIF output is checked against the official OASIS SARIF 2.1.0 schema
 * (sarif-schema-2.1.0.json, errata 01, from github.com/oasis-tcs/sarif-spec,
 * see sarif-schema-2.1.0.NOTICE.md) and against what GitHub code scanning needs.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import type { LintResult } from "../../src/engine/results.js";
import sarif, { createSarifFormatter, FINGERPRINT_KEY } from "../../src/formatters/sarif.js";
import { packageVersion } from "../../src/version.js";
import { builtinRules } from "../../rules/index.js";
import { CWD, DROP_FILE, fixtureContext, fixtureResults, pluginRulesMeta } from "./fixtures/results.js";

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version?: string; semanticVersion?: string; informationUri: string; rules: Array<Record<string, any>> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<Record<string, any>>;
  }>;
}

/** The draft-04 schema, compiled by ajv (draft-07): `id` → `$id`; the three formats it uses, checked for real. */
function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL("./sarif-schema-2.1.0.json", import.meta.url), "utf8")) as Record<string, unknown>;
  expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true });
  ajv.addFormat("uri", (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && URL.canParse(value));
  ajv.addFormat("uri-reference", (value: string) => !/[\s"<>\\^`{|}]/.test(value) && URL.canParse(value, "file:///base/"));
  ajv.addFormat("date-time", (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i.test(value));
  return ajv.compile({ ...rest, $id: id as string });
}

const validate = sarifValidator();

function expectValid(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  return log;
}

describe("sarif", () => {
  const context = fixtureContext();

  it("validates against the SARIF 2.1.0 schema", () => {
    expectValid(sarif(fixtureResults(), context));
    expectValid(sarif(fixtureResults(), { ...context, rulesMeta: pluginRulesMeta } as never));
    expectValid(sarif([], context));
  });

  it("a finding's fix and suggestions are SARIF fixes (artifactChanges with replacements) that validate", () => {
    const results = fixtureResults();
    const first = results.find((r) => r.messages.length)!;
    first.messages[0] = { ...first.messages[0]!, fix: { range: [0, 0], text: "SET lock_timeout = '5s';\n" }, suggestions: [{ desc: "Move it to a migration of its own", fix: { range: [0, 3], text: "" }, files: [{ filePath: `${first.filePath}.new.sql`, text: "SELECT 1;\n" }] }] };
    const log = expectValid(sarif(results, context));
    const fixes = log.runs[0]!.results.find((r) => r.fixes)!.fixes;
    expect(fixes).toHaveLength(2);
    expect(fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe("SET lock_timeout = '5s';\n");
    expect(fixes[1].artifactChanges.map((c: any) => c.replacements[0].insertedContent.text)).toEqual(["", "SELECT 1;\n"]);
  });

  it("the validator does reject a broken log", () => {
    const log = JSON.parse(sarif(fixtureResults(), context)) as SarifLog;
    log.runs[0]!.results[0]!.level = "fatal";
    delete log.runs[0]!.results[1]!.message;
    log.runs[0]!.results[2]!.locations[0].physicalLocation.region.startLine = 0;
    log.runs[0]!.results[3]!.suppressions = [{ kind: "directive" }];
    expect(validate(log)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(expect.arrayContaining(["/runs/0/results/0/level", "/runs/0/results/1", "/runs/0/results/2/locations/0/physicalLocation/region/startLine", "/runs/0/results/3/suppressions/0/kind"]));
  });

  it("has what GitHub code scanning reads", () => {
    const log = expectValid(sarif(fixtureResults(), context));
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/^https:\/\/.*sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("migration-lint");
    expect(run.originalUriBaseIds["%SRCROOT%"]!.uri).toBe(`file://${CWD}/`);
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toBeTruthy();
      expect(rule.help.markdown).toBeTruthy();
      expect(["error", "warning"]).toContain(rule.defaultConfiguration.level);
    }
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.message.text).toBeTruthy();
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      expect(artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(artifactLocation.uri).not.toMatch(/^\/|\\|^file:/);
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{16}$/);
    }
    // one result per finding, suppressed ones included
    const all = fixtureResults().flatMap((r) => [...r.messages, ...r.suppressedMessages]);
    expect(run.results).toHaveLength(all.length);
    expect(new Set(run.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).size).toBe(all.length);
  });

  it("takes descriptors from the built-in rule meta, and synthesizes them for engine findings", () => {
    const log = expectValid(sarif(fixtureResults(), context));
    const rules = log.runs[0]!.tool.driver.rules;
    const destructive = rules.find((r) => r.id === "destructive-change")!;
    const meta = builtinRules["destructive-change"]!.meta;
    expect(destructive.fullDescription.text).toBe(meta.docs.description);
    expect(destructive.helpUri).toBe("https://github.com/migration-lint/migration-lint/blob/main/docs/rules/destructive-change.md");
    expect(destructive.defaultConfiguration.level).toBe(meta.defaultSeverity === "warn" ? "warning" : "error");
    const parse = rules.find((r) => r.id === "parse-error")!;
    expect(parse.shortDescription.text).toMatch(/cannot be parsed/);
    expect(parse.defaultConfiguration.level).toBe("error");
    // a plugin rule without meta still gets a descriptor, from its findings
    const plugin = rules.find((r) => r.id === "acme/batched-backfill")!;
    expect(plugin.helpUri).toBe("https://acme.example/lint/batched-backfill?lang=en&v=2");
    expect(plugin.defaultConfiguration.level).toBe("warning");
  });

  it("puts the help under the message, and the level from the severity", () => {
    const run = expectValid(sarif(fixtureResults(), context)).runs[0]!;
    const drop = run.results.find((r) => r.partialFingerprints[FINGERPRINT_KEY] === "3f9a1c0d2b7e4a61")!;
    expect(drop.message.text).toBe(`${fixtureResults()[1]!.messages[0]!.message}\n${fixtureResults()[1]!.messages[0]!.help}`);
    expect(drop.level).toBe("error");
    expect(run.results.find((r) => r.ruleId === "acme/batched-backfill")!.level).toBe("warning");
    expect(drop.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "prisma/migrations/20240301120000_drop_legacy/migration.sql", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 29 },
    });
  });

  it("emits suppressions: directive → inSource, baseline → external", () => {
    const run = expectValid(sarif(fixtureResults(), context)).runs[0]!;
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.suppressions)).toEqual([[{ kind: "external" }], [{ kind: "inSource", justification: "AuditLog was archived to S3 in release 41" }]]);
    expect(run.results.filter((r) => !r.suppressions)).toHaveLength(4);
  });

  it("reports the package version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(packageVersion()).toBe(pkg.version);
    const driver = expectValid(sarif([], context)).runs[0]!.tool.driver;
    expect(driver.version).toBe(pkg.version);
    expect(driver.semanticVersion).toBe(pkg.version);
    expect(expectValid(createSarifFormatter({ version: null })([], context)).runs[0]!.tool.driver.version).toBeUndefined();
  });

  it("encodes odd paths as URIs, and points outside cwd with an absolute file URI", () => {
    const message = { ...fixtureResults()[1]!.messages[0]! };
    const results: LintResult[] = [
      { ...fixtureResults()[1]!, filePath: `${CWD}/prisma/migrations/20240101000000_add #1 [v2]/migration.sql`, messages: [message], suppressedMessages: [] },
      { ...fixtureResults()[1]!, filePath: "/elsewhere/migration.sql", messages: [message], suppressedMessages: [] },
    ];
    const run = expectValid(sarif(results, context)).runs[0]!;
    expect(run.results[0]!.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "prisma/migrations/20240101000000_add%20%231%20%5Bv2%5D/migration.sql", uriBaseId: "%SRCROOT%" });
    expect(run.results[1]!.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "file:///elsewhere/migration.sql" });
  });

  it("keeps regions valid when a finding has no usable end", () => {
    const base = fixtureResults()[1]!;
    const odd = [
      { ...base.messages[0]!, line: 0, column: 0, endLine: 0, endColumn: 0 },
      { ...base.messages[0]!, line: 5, column: 10, endLine: 5, endColumn: 3 },
    ];
    const run = expectValid(sarif([{ ...base, messages: odd, suppressedMessages: [] }], context)).runs[0]!;
    expect(run.results.map((r) => r.locations[0].physicalLocation.region)).toEqual([
      { startLine: 1, startColumn: 1 },
      { startLine: 5, startColumn: 10 },
    ]);
  });

  it("is the same text on every run", () => {
    expect(sarif(fixtureResults(), context)).toBe(sarif(fixtureResults(), context));
    expect(sarif(fixtureResults(), context)).toContain(DROP_FILE.slice(CWD.length + 1));
  });
});
