/**
 * Command-line options as a user runs them: the built bin as a subprocess, on temporary Prisma projects.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DROP_SQL, cleanupTemp, cli, json, project, tempDir, write } from "../hostile/helpers.js";

afterAll(cleanupTemp);

const DROP = "20240301000000_drop_email";

describe("paths: what the run writes is relative to the shell's directory, what it reads to --cwd", () => {
  it("-o, -f <name>:<file> and --cache-location go where the shell is, not into the --cwd project", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const shell = tempDir("shell");
    const run = cli(["--cwd", dir, "-f", "json", "-o", "out/report.json", "-f", "sarif:r.sarif", "--cache", "--cache-location", "cache/"], { cwd: shell });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(shell, "out/report.json"), "utf8"))).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(path.join(shell, "r.sarif"), "utf8")).version).toBe("2.1.0");
    expect(fs.existsSync(path.join(shell, "cache", ".migration-lint-cache"))).toBe(true);
    for (const written of ["out", "r.sarif", "cache", ".migration-lint-cache"]) expect(fs.existsSync(path.join(dir, written)), written).toBe(false);
  });

  it("--config, --baseline, --rulesdir and --schema stay relative to --cwd: they describe the project", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "lint/ml.json": JSON.stringify({ extends: "recommended", rules: { "destructive-change": "warn", "local/none": "warn" } }),
      "lint/rules/none.mjs": 'export default { meta: { id: "local/none", type: "suggestion", docs: { description: "Nothing." }, defaultSeverity: "warn", messages: {} }, create() { return {}; } };\n',
    });
    const shell = tempDir("shell");
    const run = cli(["--cwd", dir, "-c", "lint/ml.json", "--rulesdir", "lint/rules", "--schema", "prisma/schema.prisma", "--baseline", "none.json", "-f", "json"], { cwd: shell });
    expect(run.status, run.stderr).toBe(0);
    expect(json(run).flatMap((r) => r.messages.map((m) => `${m.ruleId}:${m.severity}`))).toEqual(["destructive-change:1"]);
  });
});
