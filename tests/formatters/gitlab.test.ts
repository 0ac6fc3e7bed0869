import type { LintResult } from "../../src/engine/results.js";
import gitlab, { type CodeQualityIssue } from "../../src/formatters/gitlab.js";
import { CWD, fixtureContext, fixtureResults } from "./fixtures/results.js";

const run = (results: LintResult[], cwd = CWD) => JSON.parse(gitlab(results, fixtureContext({ cwd }))) as CodeQualityIssue[];

describe("gitlab", () => {
  it("has every required field on each issue", () => {
    const issues = run(fixtureResults());
    expect(issues).toHaveLength(4);
    for (const issue of issues) {
      expect(typeof issue.description).toBe("string");
      expect(issue.description.length).toBeGreaterThan(0);
      expect(typeof issue.check_name).toBe("string");
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(["info", "minor", "major", "critical", "blocker"]).toContain(issue.severity);
      expect(issue.location.path).toMatch(/^prisma\/migrations\/[^/]+\/migration\.sql$/);
      expect(Number.isInteger(issue.location.lines.begin)).toBe(true);
      expect(issue.location.lines.end).toBeGreaterThanOrEqual(issue.location.lines.begin);
    }
    expect(issues.map((i) => i.severity)).toEqual(["major", "minor", "major", "critical"]);
    expect(issues[2]!.location.lines).toEqual({ begin: 9, end: 10 });
  });

  it("leaves suppressed findings out", () => {
    expect(run(fixtureResults()).map((i) => i.description)).not.toContain(fixtureResults()[1]!.suppressedMessages[0]!.message);
  });

  it("has unique fingerprints, stable across runs and line moves, and tied to the path", () => {
    const first = run(fixtureResults()).map((i) => i.fingerprint);
    expect(new Set(first).size).toBe(first.length);
    expect(run(fixtureResults()).map((i) => i.fingerprint)).toEqual(first);
    // same findings, moved down by 10 lines: same fingerprints
    const moved = fixtureResults().map((r) => ({ ...r, messages: r.messages.map((m) => ({ ...m, line: m.line + 10, endLine: m.endLine + 10 })) }));
    expect(run(moved).map((i) => i.fingerprint)).toEqual(first);
    // the same project checked out elsewhere: same fingerprints (paths are relative)
    const elsewhere = fixtureResults().map((r) => ({ ...r, filePath: r.filePath.replace(CWD, "/builds/acme/shop") }));
    expect(run(elsewhere, "/builds/acme/shop").map((i) => i.fingerprint)).toEqual(first);
    // the same finding in another file: another fingerprint
    const copy = fixtureResults()[1]!;
    const twice = [copy, { ...copy, filePath: copy.filePath.replace("20240301120000_drop_legacy", "20240301120001_copy") }];
    const fps = run(twice).map((i) => i.fingerprint);
    expect(new Set(fps).size).toBe(6);
  });

  it("keeps duplicate findings apart", () => {
    const base = fixtureResults()[1]!;
    const dup = { ...base, messages: [base.messages[0]!, { ...base.messages[0]! }] };
    const fps = run([dup]).map((i) => i.fingerprint);
    expect(new Set(fps).size).toBe(2);
  });

  it("prints an empty array for a clean run", () => {
    expect(run([])).toEqual([]);
  });
});
