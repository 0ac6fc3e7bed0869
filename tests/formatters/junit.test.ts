import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { LintResult } from "../../src/engine/results.js";
import junit, { xmlAttr, xmlText } from "../../src/formatters/junit.js";
import { fixtureContext, fixtureResults, TRICKY_MESSAGE } from "./fixtures/results.js";

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: false, processEntities: true, htmlEntities: true }).parse(xml);
  const suites = asArray<any>(doc.testsuites.testsuite);
  return { root: doc.testsuites, suites };
}

describe("junit", () => {
  const context = fixtureContext();

  it("is well-formed XML whose counts match the findings", () => {
    const results = fixtureResults();
    const { root, suites } = parse(junit(results, context));
    expect(suites).toHaveLength(results.length);
    let tests = 0;
    let failures = 0;
    let errors = 0;
    for (const [i, suite] of suites.entries()) {
      const result = results[i]!;
      const cases = asArray<any>(suite.testcase);
      expect(suite.name).toBe(result.filePath.slice(context.cwd.length + 1));
      expect(Number(suite.tests)).toBe(cases.length);
      expect(Number(suite.tests)).toBe(Math.max(1, result.messages.length));
      expect(Number(suite.failures)).toBe(cases.filter((c) => c.failure).length);
      expect(Number(suite.errors)).toBe(cases.filter((c) => c.error).length);
      expect(Number(suite.failures) + Number(suite.errors)).toBe(result.messages.length);
      expect(Number(suite.errors)).toBe(result.fatalErrorCount);
      for (const c of cases) expect(c.classname).toBe(suite.name);
      tests += cases.length;
      failures += Number(suite.failures);
      errors += Number(suite.errors);
    }
    expect([Number(root.tests), Number(root.failures), Number(root.errors)]).toEqual([tests, failures, errors]);
    expect([tests, failures, errors]).toEqual([5, 3, 1]);
  });

  it("gives a file without findings one passing test case", () => {
    const { suites } = parse(junit(fixtureResults(), context));
    const clean = suites[0];
    expect(clean.testcase).toMatchObject({ name: "migration-lint" });
    expect(clean.testcase.failure).toBeUndefined();
  });

  it("names test cases by rule, with the message and severity on the failure", () => {
    const { suites } = parse(junit(fixtureResults(), context));
    const cases = asArray<any>(suites[1].testcase);
    expect(cases.map((c) => c.name)).toEqual(["destructive-change", "acme/batched-backfill", "destructive-change"]);
    expect(cases.map((c) => c.failure.type)).toEqual(["error", "warning", "error"]);
    // attribute newlines survive as character references
    expect(cases[1].failure.message).toBe(TRICKY_MESSAGE);
    expect(cases[1].failure["#text"]).toContain("help: Run it in batches");
    expect(suites[2].testcase.error.message).toMatch(/^Cannot parse this statement/);
  });

  it("escapes markup, shows control characters escaped and strips what XML 1.0 cannot hold", () => {
    const nasty = 'a < b && c > "d" \'e\' ]]> \u0000\u0007\u001b\uFFFE\uFFFF \uD800 ok \u{1F600}\ttab';
    const base = fixtureResults()[1]!;
    const results: LintResult[] = [{ ...base, messages: [{ ...base.messages[0]!, message: nasty, help: nasty, ruleId: 'rule"<&>' }], suppressedMessages: [] }];
    const xml = junit(results, context);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/\uD800(?![\uDC00-\uDFFF])/);
    const { suites } = parse(xml);
    const expected = 'a < b && c > "d" \'e\' ]]> \\x00\\x07\\x1b  ok \u{1F600}\\ttab';
    expect(suites[0].testcase.name).toBe('rule"<&>');
    expect(suites[0].testcase.failure.message).toBe(expected);
    expect(xmlText("<&>")).toBe("&lt;&amp;&gt;");
    expect(xmlAttr('"\n')).toBe("&quot;&#10;");
  });
});
