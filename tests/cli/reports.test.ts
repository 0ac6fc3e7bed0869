/**
 * Several reports from one lint (`--format <name>:<file>`, repeatable), and repository-relative paths in
 * the formats CI reads, whichever folder of a monorepo the CLI runs in. The built CLI, run as a subprocess
 * in a monorepo inside a real git repository.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { splitFormatSpec } from "../../src/cli/reports.js";
import { DB, DROP_COLUMN, MIGRATIONS, ROOT, committedMonorepo, writeTree } from "../integrations/hosts.js";

const BIN = path.join(ROOT, "bin/migration-lint.js");
const DROPPED = `${MIGRATIONS}/20240201000000_drop_user_name/migration.sql`;

function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("splitFormatSpec", () => {
  it.each([
    ["stylish", { format: "stylish" }],
    ["sarif:report.sarif", { format: "sarif", file: "report.sarif" }],
    ["sarif:/tmp/out/report.sarif", { format: "sarif", file: "/tmp/out/report.sarif" }],
    ["sarif:C:\\reports\\a.sarif", { format: "sarif", file: "C:\\reports\\a.sarif" }],
    ["markdown:a:b.md", { format: "markdown", file: "a:b.md" }],
    ["./my-formatter.js:out.txt", { format: "./my-formatter.js", file: "out.txt" }],
    ["@scope/fmt:out.txt", { format: "@scope/fmt", file: "out.txt" }],
    ["file:///opt/f.js", { format: "file:///opt/f.js" }],
    ["file:///opt/f.js:out.txt", { format: "file:///opt/f.js", file: "out.txt" }],
    ["file:///C:/f.js:out.txt", { format: "file:///C:/f.js", file: "out.txt" }],
    ["C:\\f.js", { format: "C:\\f.js" }],
    ["sarif:", { format: "sarif:" }],
  ])("%s", (spec, expected) => {
    expect(splitFormatSpec(spec)).toEqual(expected);
  });
});

describe("--format <name>:<file> in a monorepo inside a git repository", () => {
  let repo: string;
  let db: string;
  let counter: string;
  beforeAll(() => {
    repo = committedMonorepo();
    writeTree(repo, DROP_COLUMN);
    db = path.join(repo, DB);
    // a local rule that counts how often the linter starts on a migration: one lint, however many reports
    counter = path.join(repo, "lint-count.txt");
    writeTree(repo, {
      "rules/package.json": '{ "type": "module" }\n',
      "rules/count-lints.js": `import { appendFileSync } from "node:fs";
export default {
  meta: { id: "count-lints", type: "suggestion", docs: { description: "Counts lints (test only).", preset: "all" }, defaultSeverity: "warn", messages: {} },
  create() { appendFileSync(process.env.ML_LINT_COUNT, "lint\\n"); return {}; },
};
`,
      "count-lints.json": JSON.stringify({ extends: ["recommended"], rules: { "count-lints": "warn" } }),
    });
  });

  it("writes github to stdout and sarif, markdown and json to their files from one lint, with repository-relative paths", () => {
    // without the cache, each run lints (the rule counts its runs)
    const counted = ["--rulesdir", "../../rules", "-c", "../../count-lints.json", "--no-cache"];
    expect(cli(db, [...counted, "-f", "json"], { ML_LINT_COUNT: counter }).status).toBe(1);
    const oneReport = fs.readFileSync(counter, "utf8");
    fs.rmSync(counter);
    const run = cli(db, [...counted, "-f", "github", "-f", "sarif:../../reports/ml.sarif", "-f", "markdown:summary.md", "-f", "json:out/results.json"], { ML_LINT_COUNT: counter });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    // the rule started as often as for one report: one lint
    expect(fs.readFileSync(counter, "utf8")).toBe(oneReport);

    expect(run.stdout).toMatch(new RegExp(`^::error file=${DROPPED.replace(/[./]/g, "\\$&")},line=8,col=`, "m"));
    expect(run.stdout).not.toMatch(/file=prisma\//);

    const sarif = JSON.parse(fs.readFileSync(path.join(repo, "reports/ml.sarif"), "utf8")) as {
      runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }> }>;
    };
    expect(sarif.runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri).toBe(`${pathToFileURL(repo).href}/`);
    const dropped = sarif.runs[0]!.results.find((r) => r.ruleId === "destructive-change")!;
    expect(dropped.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: DROPPED, uriBaseId: "%SRCROOT%" });

    expect(fs.readFileSync(path.join(db, "summary.md"), "utf8")).toContain(`\`${DROPPED}:8\``);
    const json = JSON.parse(fs.readFileSync(path.join(db, "out/results.json"), "utf8")) as Array<{ filePath: string; errorCount: number }>;
    expect(json.find((r) => r.errorCount > 0)!.filePath).toBe(path.join(repo, DROPPED));
  });

  it("keeps stylish relative to the working directory, for the terminal", () => {
    const run = cli(db, []);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^prisma\/migrations\/20240201000000_drop_user_name\/migration\.sql$/m);
  });

  it("sends the format without a file to --output-file", () => {
    const run = cli(db, ["-f", "json", "-o", "all.json", "-f", "github:annotations.txt"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(db, "all.json"), "utf8"))).toBeInstanceOf(Array);
    expect(fs.readFileSync(path.join(db, "annotations.txt"), "utf8")).toContain(`file=${DROPPED},`);
  });

  it("writes the html report with each statement's locks, from the linting thread and from the supervised worker", () => {
    for (const env of [{}, { MIGRATION_LINT_SUPERVISE: "1" }]) {
      const run = cli(db, ["-f", "stylish", "-f", "html:report.html"], env);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("destructive-change");
      const page = fs.readFileSync(path.join(db, "report.html"), "utf8");
      expect(page.startsWith("<!doctype html>")).toBe(true);
      expect(page).toContain('<span class="lock reads">ACCESS EXCLUSIVE on &quot;User&quot;</span>— blocks reads and writes');
    }
    // on standard output the page is all there is: no adoption hint after it
    const stdout = cli(db, ["-f", "html"]);
    expect(stdout.status).toBe(1);
    expect(stdout.stdout.endsWith("</html>\n")).toBe(true);
  });

  it("refuses two formats on standard output, an --output-file no format writes, and two reports in one file (exit 2)", () => {
    const both = cli(db, ["-f", "github", "-f", "markdown"]);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe("migration-lint: Only one --format can write to standard output (github); give the others a file each, like --format markdown:report.markdown.\n");
    const unused = cli(db, ["-f", "sarif:r.sarif", "-o", "r.txt"]);
    expect(unused.status).toBe(2);
    expect(unused.stderr).toBe("migration-lint: --output-file r.txt would stay empty: every --format names its own file.\n");
    const same = cli(db, ["-f", "sarif:r.out", "-f", "json:./r.out"]);
    expect(same.status).toBe(2);
    expect(same.stderr).toBe(`migration-lint: Two reports would be written to the same file: ${path.join(db, "r.out")}.\n`);
  });
});
