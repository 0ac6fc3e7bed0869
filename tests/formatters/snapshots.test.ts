/** Every built-in formatter over the same fixed run, snapshotted. */
import compact from "../../src/formatters/compact.js";
import github from "../../src/formatters/github.js";
import gitlab from "../../src/formatters/gitlab.js";
import junit from "../../src/formatters/junit.js";
import markdown from "../../src/formatters/markdown.js";
import { createSarifFormatter } from "../../src/formatters/sarif.js";
import { fixtureContext, fixtureResults, pluginRulesMeta } from "./fixtures/results.js";

/** Fixed rule meta and version, so the snapshot changes only when the formatter does. */
const sarif = createSarifFormatter({
  version: "1.2.3",
  rules: {
    "destructive-change": {
      docs: { description: "Statements that destroy data: dropped tables, columns, schemas, enum types and values, TRUNCATE, DELETE without WHERE.", url: "https://github.com/migration-lint/migration-lint/blob/main/docs/rules/destructive-change.md" },
      defaultSeverity: "error",
    },
  },
});

describe("formatter snapshots", () => {
  const results = fixtureResults();
  const context = fixtureContext();

  it("compact", () => {
    expect(compact(results, context)).toMatchSnapshot();
  });

  it("sarif", () => {
    expect(sarif(results, fixtureContext({ rulesMeta: pluginRulesMeta } as never))).toMatchSnapshot();
  });

  it("github", () => {
    expect(github(results, context)).toMatchSnapshot();
  });

  it("gitlab", () => {
    expect(gitlab(results, context)).toMatchSnapshot();
  });

  it("junit", () => {
    expect(junit(results, context)).toMatchSnapshot();
  });

  it("markdown", () => {
    expect(markdown(results, context)).toMatchSnapshot();
  });

  it("clean runs", () => {
    const clean = fixtureResults().map((r) => ({ ...r, messages: [], suppressedMessages: [], errorCount: 0, warningCount: 0, fatalErrorCount: 0 }));
    expect({
      compact: compact(clean, context),
      github: github(clean, context),
      gitlab: gitlab(clean, context),
      markdown: markdown(clean, context),
      junit: junit(clean, context),
    }).toMatchSnapshot();
  });
});
