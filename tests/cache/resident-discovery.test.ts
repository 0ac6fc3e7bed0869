/**
 * A resident process keeps what discovery found (the layout, the config file search, the Prisma version walk:
 * src/cache/resident-discovery.ts) and revalidates it by the paths discovery looked at: a change to any of them
 * between two runs is seen, and what a run reports is what a cold run of the same files reports.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";
import { LintHistory } from "../../src/cache/memory.js";

const EXAMPLE = path.resolve(__dirname, "../../fixtures/example");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ml-resident-discovery-")));
  made.push(root);
  fs.cpSync(EXAMPLE, root, { recursive: true });
  return root;
}

const lint = (root: string, history?: LintHistory) => runLint({ cwd: root, baseline: false, ...(history ? { history } : {}) });

/** What a run says of the project besides its results (timings aside). */
const facts = (run: Awaited<ReturnType<typeof lint>>) =>
  run.projects.map(({ root, schemaFiles, migrationsDir, migrationCount, dialect, runner, notes, baselinePath }) => ({ root, schemaFiles, migrationsDir, migrationCount, dialect, runner, notes, baselinePath }));

/** A resident history for `use`, its folder watches closed after. */
async function withHistory(settledMs: number, use: (history: LintHistory) => Promise<void>): Promise<void> {
  const history = new LintHistory({ settledMs });
  try {
    await use(history);
  } finally {
    history.files.close();
  }
}

describe("discovery kept by a resident process", () => {
  it("is taken again while nothing it looked at changed", async () => {
    const root = project();
    await withHistory(0, async (history) => {
      await lint(root, history);
      const misses = history.files.discovery.misses;
      expect(misses).toBeGreaterThan(0);
      const again = await lint(root, history);
      expect(history.files.discovery.misses).toBe(misses);
      const cold = await lint(root);
      expect(again.results).toEqual(cold.results);
      expect(facts(again)).toEqual(facts(cold));
    });
  });

  it("sees a prisma.config.ts, a migration folder, the schema and package.json changed between two runs", async () => {
    const root = project();
    const prisma = path.join(root, "prisma");
    const schema = path.join(prisma, "schema.prisma");
    const original = fs.readFileSync(schema, "utf8");
    const changes: Array<[string, () => void, (run: Awaited<ReturnType<typeof lint>>) => void, boolean?]> = [
      [
        "a prisma.config.ts naming another schema and migrations folder",
        () => {
          fs.cpSync(prisma, path.join(root, "db"), { recursive: true });
          fs.rmSync(path.join(root, "db/migrations/20240620100000_index_orders_created"), { recursive: true });
          fs.writeFileSync(path.join(root, "prisma.config.ts"), `export default { schema: "db/schema.prisma", migrations: { path: "db/migrations" } };\n`);
        },
        (run) => expect(run.projects[0]!.migrationsDir).toBe(path.join(root, "db/migrations")),
      ],
      ["the prisma.config.ts removed", () => fs.rmSync(path.join(root, "prisma.config.ts")), (run) => expect(run.projects[0]!.migrationsDir).toBe(path.join(prisma, "migrations"))],
      [
        "a migration folder added",
        () => {
          fs.mkdirSync(path.join(prisma, "migrations/20240701000000_added"));
          fs.writeFileSync(path.join(prisma, "migrations/20240701000000_added/migration.sql"), `ALTER TABLE "User" ADD COLUMN "nickname" TEXT NOT NULL;\n`);
        },
        // the layout does not depend on the folders in it (the resident files list them again): taken as it was
        (run) => expect(run.projects[0]!.migrationCount).toBe(8),
        false,
      ],
      [
        "schema.prisma edited to hold no model, its models in a file beside it (read as the folder)",
        () => {
          const firstBlock = original.search(/^(model|enum) /m);
          fs.writeFileSync(path.join(prisma, "models.prisma"), original.slice(firstBlock));
          fs.writeFileSync(schema, original.slice(0, firstBlock));
        },
        (run) => expect(run.projects[0]!.schemaFiles).toEqual([path.join(prisma, "models.prisma"), schema]),
      ],
      [
        "schema.prisma edited back",
        () => {
          fs.rmSync(path.join(prisma, "models.prisma"));
          fs.writeFileSync(schema, original);
        },
        (run) => expect(run.projects[0]!.schemaFiles).toEqual([schema]),
      ],
      [
        "package.json edited: another Prisma version",
        () => {
          const file = path.join(root, "package.json");
          fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll("5.22.0", "4.16.2"));
        },
        (run) => expect(run.projects[0]!.runner.prismaVersion).toBe("4.16.2"),
      ],
      [
        "package.json edited: a migration-lint config in it",
        () => {
          const file = path.join(root, "package.json");
          const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
          fs.writeFileSync(file, JSON.stringify({ ...pkg, "migration-lint": { extends: "recommended", rules: { "destructive-change": "off" } } }, null, 2));
        },
        (run) => expect(run.results.flatMap((r) => r.messages).some((m) => m.ruleId === "destructive-change")).toBe(false),
      ],
    ];
    await withHistory(0, async (history) => {
      const first = await lint(root, history);
      expect(first.projects[0]!.runner.prismaVersion).toBe("5.22.0");
      expect(first.results.flatMap((r) => r.messages).some((m) => m.ruleId === "destructive-change")).toBe(true);
      for (const [what, change, check, rediscovers = true] of changes) {
        const misses = history.files.discovery.misses;
        change();
        const warm = await lint(root, history);
        expect(history.files.discovery.misses > misses, what).toBe(rediscovers);
        check(warm);
        const cold = await lint(root);
        expect(warm.results, what).toEqual(cold.results);
        expect(facts(warm), what).toEqual(facts(cold));
      }
    });
  });

  it("is not kept when a file it read changed just before (a second change within the timestamp granularity would not show)", async () => {
    const root = project();
    await withHistory(60_000, async (history) => {
      await lint(root, history);
      const misses = history.files.discovery.misses;
      await lint(root, history);
      expect(history.files.discovery.misses).toBeGreaterThan(misses);
    });
  });
});
