/**
 * A warm run (--cache) never differs from a cold one:
 * - through the CLI, for random sequences of edits of the project (migrations
 *   added, changed, removed; the schema), of the config (rule severities) and
 *   of a rules-folder rule's code (a file it imports changes what it reports):
 *   each process loads the rule afresh, as a user's next run does. Migration
 *   files are dated in the past, so the cache vouches for them by their
 *   metadata (src/model/load.ts FileRecord), and the edits include what
 *   metadata can hide: a file touched but unchanged, an edit of the same size
 *   with its modification time set back, a new file (new inode) renamed over
 *   the old one with the old time, and a same-size edit within the same
 *   timestamp tick of a file written just before the run;
 * - in-process, for random damage to the cache file (any value replaced by
 *   null, [], {}, a string or a number, or removed): a damaged entry is a miss.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";
import { INIT_SQL, SCHEMA, cleanupTemp, cli, tempDir, write } from "../hostile/helpers.js";
import { fcSettings, fcTimeout } from "./settings.js";

afterAll(cleanupTemp);

/** Seconds since the epoch: 2023-11-14, long before any run. */
const PAST = 1_700_000_000;

const STATEMENTS = [
  'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;',
  'ALTER TABLE "User" DROP COLUMN "email";',
  'CREATE INDEX "User_email_idx" ON "User"("email");',
  'ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL;',
  'CREATE TABLE "Post" ("id" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
  'DROP TABLE "Post";',
  'ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;',
];
const KINDS = ["drop-column", "add-column", "create-index", "create-table", "drop-table", "alter-column"];
const RULES = ["destructive-change", "require-concurrent-index", "add-required-column", "prefer-text"];

type Edit =
  | { kind: "add-migration"; statement: number }
  | { kind: "touch"; which: number }
  | { kind: "same-size"; which: number; statement: number; how: "in-place" | "new-inode" | "just-written" }
  | { kind: "edit-migration"; which: number; statement: number }
  | { kind: "remove-newest" }
  | { kind: "severity"; rule: number; severity: "off" | "warn" | "error" }
  | { kind: "rule-code"; visits: number; text: number }
  | { kind: "schema"; field: boolean };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("add-migration" as const), statement: fc.nat(STATEMENTS.length - 1) }),
  fc.record({ kind: fc.constant("touch" as const), which: fc.nat() }),
  fc.record({ kind: fc.constant("same-size" as const), which: fc.nat(), statement: fc.nat(STATEMENTS.length - 1), how: fc.constantFrom("in-place" as const, "new-inode" as const, "just-written" as const) }),
  fc.record({ kind: fc.constant("edit-migration" as const), which: fc.nat(), statement: fc.nat(STATEMENTS.length - 1) }),
  fc.record({ kind: fc.constant("remove-newest" as const) }),
  fc.record({ kind: fc.constant("severity" as const), rule: fc.nat(RULES.length - 1), severity: fc.constantFrom("off" as const, "warn" as const, "error" as const) }),
  fc.record({ kind: fc.constant("rule-code" as const), visits: fc.nat(KINDS.length - 1), text: fc.nat(3) }),
  fc.record({ kind: fc.constant("schema" as const), field: fc.boolean() }),
);

/** The rule lives in rules/probe.mjs; what it visits and says comes from a file it imports (lib/probe-helper.mjs). */
function ruleFiles(visits: string, text: string): Record<string, string> {
  return {
    "rules/probe.mjs": `import { VISITS, TEXT } from "../lib/probe-helper.mjs";
export default { meta: { id: "probe", type: "problem", docs: { description: "probe", preset: "all" }, defaultSeverity: "error", messages: { m: "{{text}}" } },
  create: (context) => ({
    Migration: () => context.report({ messageId: "m", data: { text: \`\${TEXT} on every migration\` } }),
    [VISITS]: (op) => context.report({ node: op, messageId: "m", data: { text: TEXT } }),
  }) };
`,
    "lib/probe-helper.mjs": `export const VISITS = ${JSON.stringify(visits)};\nexport const TEXT = ${JSON.stringify(text)};\n`,
  };
}

class Project {
  readonly dir = tempDir("cache-prop");
  private migrations: string[] = [];
  private severities: Record<string, string> = { probe: "error" };

  constructor() {
    write(this.dir, { "prisma/schema.prisma": SCHEMA, "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n', ...ruleFiles("drop-column", "v0") });
    this.add(INIT_SQL);
    this.writeConfig();
  }

  private add(sql: string): void {
    const name = `2024${String(this.migrations.length + 1).padStart(10, "0")}_m`;
    this.migrations.push(name);
    write(this.dir, { [`prisma/migrations/${name}/migration.sql`]: sql });
    this.datePast(this.file(name));
  }

  private file(name: string): string {
    return path.join(this.dir, "prisma/migrations", name, "migration.sql");
  }

  /** A file last modified well before the run (as committed migrations are): the cache may vouch for it by its metadata. */
  private datePast(file: string, when = PAST): void {
    fs.utimesSync(file, when, when);
  }

  /**
   * `text` of the same byte length as the file's: another statement padded with a comment, so the findings differ
   * and the size does not (null when the statement is longer).
   */
  private sameSize(file: string, statement: number): string | null {
    const old = fs.readFileSync(file, "utf8");
    const sql = `${STATEMENTS[statement]}\n`;
    if (sql.length + 4 > old.length || old.startsWith(sql)) return null;
    return `${sql}--${"x".repeat(old.length - sql.length - 3)}\n`;
  }

  private writeConfig(): void {
    write(this.dir, { ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: this.severities }) });
  }

  apply(e: Edit): void {
    switch (e.kind) {
      case "add-migration":
        return this.add(`${STATEMENTS[e.statement]}\n`);
      case "edit-migration": {
        const file = this.file(this.migrations[e.which % this.migrations.length]!);
        fs.appendFileSync(file, `${STATEMENTS[e.statement]}\n`);
        return this.datePast(file, PAST + 1000 * (e.statement + 1));
      }
      case "touch":
        return this.datePast(this.file(this.migrations[e.which % this.migrations.length]!), PAST + 7 * 86400);
      case "same-size": {
        const file = this.file(this.migrations[e.which % this.migrations.length]!);
        const text = this.sameSize(file, e.statement);
        if (text === null) return;
        const before = fs.statSync(file);
        if (e.how === "new-inode") {
          // an editor that writes a new file and renames it over the old one
          fs.writeFileSync(`${file}.tmp`, text);
          fs.renameSync(`${file}.tmp`, file);
        } else fs.writeFileSync(file, text);
        // the modification time set back to the very same value: only the status-change time (and the inode) differ
        if (e.how !== "just-written") return fs.utimesSync(file, before.atime, before.mtime);
        return;
      }
      case "remove-newest":
        if (this.migrations.length > 1) fs.rmSync(path.join(this.dir, "prisma/migrations", this.migrations.pop()!), { recursive: true });
        return;
      case "severity":
        this.severities[RULES[e.rule]!] = e.severity;
        return this.writeConfig();
      case "rule-code":
        // only the imported file changes: the cache must follow imports
        return write(this.dir, { "lib/probe-helper.mjs": ruleFiles(KINDS[e.visits]!, `v${e.text}`)["lib/probe-helper.mjs"]! });
      case "schema":
        return write(this.dir, { "prisma/schema.prisma": e.field ? SCHEMA.replace("email String", "email String?\n  nickname String?") : SCHEMA });
    }
  }

  lint(cache: boolean) {
    const run = cli(["--cwd", this.dir, "--rulesdir", "rules", "--format", "json", cache ? "--cache" : "--no-cache"]);
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }
}

describe("the cache", () => {
  it(
    "warm output equals cold output after random edits of project, config and rule code (CLI)",
    () => {
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
          const project = new Project();
          project.lint(true); // fills the cache
          for (const e of edits) {
            project.apply(e);
            const warm = project.lint(true);
            const cold = project.lint(false);
            expect(cold.status, cold.stderr).not.toBe(2);
            expect(warm, JSON.stringify(e)).toEqual(cold);
          }
        }),
        fcSettings(1313, 3),
      );
    },
    fcTimeout(180_000),
  );

  it(
    "a damaged cache entry is a miss: warm output equals cold output (API)",
    async () => {
      const dir = tempDir("cache-damage");
      fs.cpSync(path.resolve(__dirname, "../../fixtures/example"), dir, { recursive: true });
      const cacheFile = path.join(dir, ".cache");
      const cold = (await runLint({ cwd: dir })).results;
      await runLint({ cwd: dir, cache: true, cacheLocation: cacheFile });
      const pristine = fs.readFileSync(cacheFile, "utf8");
      /** Every path to a value in the cache file, up to the messages' fields. */
      const paths: Array<Array<string | number>> = [];
      const walk = (value: unknown, at: Array<string | number>) => {
        paths.push(at);
        if (at.length > 8 || !value || typeof value !== "object") return;
        for (const [key, child] of Object.entries(value)) walk(child, [...at, Array.isArray(value) ? Number(key) : key]);
      };
      walk(JSON.parse(pristine), []);
      await fc.assert(
        fc.asyncProperty(fc.nat(paths.length - 1), fc.constantFrom<unknown>(null, [], {}, "x", 0, -1, undefined), async (which, replacement) => {
          const data = JSON.parse(pristine) as Record<string, unknown>;
          const at = paths[which]!;
          // a file that does not start like a cache is refused, not replaced (it may be someone else's): not damage to an entry
          if (at.length === 0 || (at.length === 1 && replacement === undefined)) return;
          let parent = data as Record<string | number, unknown>;
          for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
          if (replacement === undefined) delete parent[at.at(-1)!];
          else parent[at.at(-1)!] = replacement;
          fs.writeFileSync(cacheFile, JSON.stringify(data));
          const warm = await runLint({ cwd: dir, cache: true, cacheLocation: cacheFile });
          expect(warm.results, `${at.join(".")} = ${JSON.stringify(replacement)}`).toEqual(cold);
        }),
        fcSettings(1314, 60),
      );
    },
    fcTimeout(120_000),
  );
});
