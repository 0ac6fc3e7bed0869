import type { LintResult } from "../../src/engine/results.js";
import github, { escapeData, escapeProperty } from "../../src/formatters/github.js";
import { fixtureContext, fixtureResults, TRICKY_MESSAGE } from "./fixtures/results.js";

/** Parses a workflow command back, the way the runner does (split on the first `::` after the properties). */
function parseCommand(line: string) {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
  const props = Object.fromEntries(match[2]!.split(",").map((p) => { const i = p.indexOf("="); return [p.slice(0, i), unescape(p.slice(i + 1))]; }));
  return { command: match[1], props, message: unescape(match[3]!) };
}

describe("github", () => {
  const context = fixtureContext();

  it("escapes exactly as @actions/core does", () => {
    expect(escapeData("100% a:b, c\r\nd")).toBe("100%25 a:b, c%0D%0Ad");
    expect(escapeProperty("100% a:b, c\r\nd")).toBe("100%25 a%3Ab%2C c%0D%0Ad");
    // % first, so escapes are not escaped twice
    expect(escapeData("%0A")).toBe("%250A");
  });

  it("prints one command per finding, one line each, that parses back to the finding", () => {
    const lines = github(fixtureResults(), context).trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const warning = parseCommand(lines[1]!);
    expect(warning.command).toBe("warning");
    expect(warning.props).toEqual({ file: "prisma/migrations/20240301120000_drop_legacy/migration.sql", line: "6", col: "1", endLine: "6", endColumn: "58", title: "acme/batched-backfill" });
    const finding = fixtureResults()[1]!.messages[1]!;
    expect(warning.message).toBe(`${TRICKY_MESSAGE}\n${finding.help}\nid: ${finding.fingerprint}`);
    expect(lines.map((l) => parseCommand(l).command)).toEqual(["error", "warning", "error", "error"]);
  });

  it("escapes commas and colons in property values", () => {
    const base = fixtureResults()[1]!;
    const results: LintResult[] = [{ ...base, filePath: `${context.cwd}/odd,dir:1/100%/migration.sql`, messages: [{ ...base.messages[0]!, ruleId: "acme:rule,x", message: "a::b\r\nc", help: undefined }], suppressedMessages: [] }];
    const line = github(results, context).trimEnd();
    expect(line).toBe(`::error file=odd%2Cdir%3A1/100%25/migration.sql,line=3,col=1,endLine=3,endColumn=29,title=acme%3Arule%2Cx::a::b%0D%0Ac%0Aid: ${base.messages[0]!.fingerprint}`);
    expect(parseCommand(line).props.file).toBe("odd,dir:1/100%/migration.sql");
  });

  it("leaves columns out of multi-line annotations, as GitHub requires", () => {
    const line = github(fixtureResults(), context).split("\n")[2]!;
    expect(parseCommand(line).props).toEqual({ file: "prisma/migrations/20240301120000_drop_legacy/migration.sql", line: "9", endLine: "10", title: "destructive-change" });
  });

  it("prints nothing for a clean run and skips suppressed findings", () => {
    expect(github([], context)).toBe("");
    expect(github(fixtureResults(), context)).not.toContain("AuditLog");
  });
});
