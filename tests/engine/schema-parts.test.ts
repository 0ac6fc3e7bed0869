/**
 * No rule waits for the schema: a finding's text that names schema.prisma (fieldPlace, modelPlace: a SchemaPart in
 * its data) is completed when the report is built, after every visitor ran, so a schema still parsing in a worker is
 * read once, at the end. The texts are those an eager read gives.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtinRules } from "../../rules/index.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { loadDialect } from "../../src/dialects/index.js";
import { lintProject, schemaTextMayMap, templatePieces, type LoadedMigration } from "../../src/engine/linter.js";
import { defineRule, fieldPlace, interpolate, modelPlace, SchemaPart } from "../../src/engine/rule.js";
import { parsePrismaSchema } from "../../src/schema/parse-schema.js";

const root = path.resolve("/tmp/ml-schema-parts");
const SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url = env("DB")\n}\n\nmodel User {\n  id    Int    @id\n  email String @map("mail")\n}\n';
const history = [
  { name: "1_init", sql: 'CREATE TABLE "User" ("id" INTEGER NOT NULL, "mail" TEXT NOT NULL, "handle" TEXT, "email" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));' },
  { name: "2_changes", sql: 'ALTER TABLE "User" ALTER COLUMN "mail" DROP NOT NULL;\nALTER TABLE "User" DROP COLUMN "id";\nALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;' },
];

const probe = defineRule({
  meta: { id: "probe", type: "problem", docs: { description: "probe", preset: "all" }, defaultSeverity: "error", messages: { m: "{{what}}{{field}}{{model}}{{or}}" }, help: { m: "see{{field}}" } },
  create: (context) => ({
    "alter-column"(op) {
      context.report({ node: op, messageId: "m", data: { what: "alter", field: fieldPlace(context, op.table, op.column, " {field} at {place}"), model: modelPlace(context, op.table, " in {model} at {place} ({shortPlace}, {unknown})"), or: "" } });
    },
    "drop-column"(op) {
      // no field maps to a dropped "nope": the model's place instead
      const none = fieldPlace(context, op.table, "nope", " {field}");
      context.report({ node: op, messageId: "m", data: { what: "drop", field: "", model: "", or: none.or(modelPlace(context, op.table, " model {model}")) } });
    },
    "add-column"(op) {
      context.report({ node: op, messageId: "m", data: { what: "add", field: new SchemaPart(() => { throw new Error("part broke"); }), model: "", or: "" } });
    },
  }),
});

/** Suggestions whose schema part is completed when the report is built: kept with its data and files, dropped, or broken. */
const suggester = defineRule({
  meta: { id: "suggester", type: "suggestion", hasSuggestions: true, docs: { description: "suggests", preset: "all" }, defaultSeverity: "warn", messages: { m: "column {{column}}", map: "map {{field}} to {{column}}", plain: "plain" } },
  create: (context) => ({
    "alter-column"(op) {
      context.report({
        node: op,
        messageId: "m",
        data: { column: op.column },
        suggest: [
          { messageId: "plain", fix: (fixer) => fixer.insertTextBefore(op, "-- plain\n") },
          {
            messageId: "map",
            fix: (fixer) => fixer.insertTextBefore(op, "-- mapped\n"),
            fromSchema: () => {
              const field = context.prismaField(op.table, op.column);
              return field ? { data: { field: field.name, column: op.column }, files: [{ filePath: field.location.file, text: "edited" }] } : null;
            },
          },
          { messageId: "plain", fix: (fixer) => fixer.insertTextBefore(op, "-- broken\n"), fromSchema: () => { throw new Error("suggestion part broke"); } },
        ],
      });
    },
  }),
});

async function run(log: string[], changes = history[1]!.sql, rules: Record<string, "error"> = { probe: "error", "drop-not-null": "error", "destructive-change": "error" }) {
  const dialect = await loadDialect("postgresql");
  const config = await resolveConfig({ config: { rules }, filepath: null, builtinRules, cwd: root, extraRules: { probe, suggester } });
  const migrations: LoadedMigration[] = [];
  for (const [index, m] of [history[0]!, { name: "2_changes", sql: changes }].entries()) {
    const dir = path.join(root, "migrations", m.name);
    migrations.push({ entry: { name: m.name, dir, upPath: path.join(dir, "migration.sql"), downPath: null, extraFiles: [] }, index, file: await dialect.parseFile(path.join(dir, "migration.sql"), m.sql), error: null });
  }
  const schema = parsePrismaSchema([{ path: path.join(root, "schema.prisma"), text: SCHEMA }]);
  const logged = config.rules.map((r) => {
    const create = r.rule.create;
    return { ...r, rule: { ...r.rule, create: (context: Parameters<typeof create>[0]) => {
      const visitors = create(context) as Record<string, (...args: unknown[]) => void>;
      return Object.fromEntries(Object.entries(visitors).map(([kind, visit]) => [kind, (...args: unknown[]) => {
        log.push(`visit ${r.id} ${kind}`);
        visit(...args);
        log.push("visited");
      }]));
    } } };
  });
  const model = { root, migrations, schemaSource: SCHEMA, runner: dialect.runner({ detected: null, prismaConfigText: null }), dialect, postgresVersion: 16, lockProvider: "postgresql",
    get schema() {
      log.push("schema");
      return schema;
    } };
  const out = await lintProject(model, logged as typeof config.rules, (m) => m.index === 1);
  return out.get(path.join(root, "migrations", "2_changes", "migration.sql")) ?? [];
}

/** Whether the schema was first read before the last visitor returned (while the lint ran), rather than when the report was built. */
const readWhileLinting = (log: string[]) => log.includes("schema") && log.indexOf("schema") < log.lastIndexOf("visited");

describe("findings that name schema.prisma (SchemaPart)", () => {
  it("are completed after every visitor ran: the schema is read once the lint is done", async () => {
    const log: string[] = [];
    const messages = await run(log);
    expect(log.filter((l) => l.startsWith("visit")).length).toBeGreaterThan(3);
    expect(readWhileLinting(log)).toBe(false);
    expect(log).toContain("schema");
    const probes = messages.filter((m) => m.ruleId === "probe").map((m) => [m.message, m.help]);
    expect(probes).toEqual([
      ["alter User.email at schema.prisma:8 in User at schema.prisma:6 (ml-schema-parts/schema.prisma:6, {unknown})", "see User.email at schema.prisma:8"],
      ["drop model User", "see"],
      ["add", "see"],
    ]);
    // built-in rules name the field as before (drop-not-null: the field and the edit to make)
    expect(messages.find((m) => m.ruleId === "drop-not-null")!.message).toContain("(field User.email, schema.prisma:8)");
    expect(messages.find((m) => m.ruleId === "drop-not-null")!.help).toContain("(`email String?` at schema.prisma:8)");
    expect(messages.find((m) => m.ruleId === "destructive-change" && m.line === 2)!.help).toContain("(model User, ml-schema-parts/schema.prisma:6)");
  });

  it("a part that throws is the rule's bug: an internal-error names it, the finding stands without the part", async () => {
    const messages = await run([]);
    expect(messages.find((m) => m.ruleId === "internal-error")!.message).toMatch(/^Rule "probe" crashed on 2_changes: Error: part broke/);
    expect(messages.find((m) => m.ruleId === "probe" && m.line === 3)!.message).toBe("add");
  });

  it("a rule deciding by the schema does not wait for it where the schema's text cannot name what it looks for (schemaMayMap)", async () => {
    // implicit-rename weighs a field still named as the dropped column: no "handle" in schema.prisma, no such field
    const pair = 'ALTER TABLE "User" DROP COLUMN "handle",\nADD COLUMN "alias" TEXT;';
    const log: string[] = [];
    await run(log, pair, { "implicit-rename": "error" });
    expect(log.some((l) => l.startsWith("visit implicit-rename"))).toBe(true);
    expect(readWhileLinting(log)).toBe(false);
    // a field "email" and a string "mail" in schema.prisma: a field email @map("mail") may be there, the schema is read to know
    const read: string[] = [];
    await run(read, 'ALTER TABLE "User" DROP COLUMN "mail",\nDROP COLUMN "email",\nADD COLUMN "mail" TEXT;', { "implicit-rename": "error" });
    expect(readWhileLinting(read)).toBe(true);
    // "id" is a field, but no string "alias" is there: no field id can map to "alias"
    const unmapped: string[] = [];
    await run(unmapped, 'ALTER TABLE "User" DROP COLUMN "id",\nADD COLUMN "alias" INTEGER;', { "implicit-rename": "error" });
    expect(readWhileLinting(unmapped)).toBe(false);
  });

  it("a suggestion's schema part is completed when the report is built: kept with its data and files, dropped when it says null", async () => {
    const log: string[] = [];
    const messages = await run(log, 'ALTER TABLE "User" ALTER COLUMN "mail" DROP NOT NULL;\nALTER TABLE "User" ALTER COLUMN "handle" SET DEFAULT \'x\';', { suggester: "error" });
    expect(readWhileLinting(log)).toBe(false);
    const [mapped, unmapped] = messages.filter((m) => m.ruleId === "suggester");
    expect(mapped!.suggestions!.map((s) => [s.desc, s.files?.map((f) => f.text)])).toEqual([["plain", undefined], ["map email to mail", ["edited"]]]);
    expect(mapped!.suggestions![1]!.fix.text).toBe("-- mapped\n");
    // no field maps to "handle": that suggestion is dropped, the others stay in their order
    expect(unmapped!.suggestions!.map((s) => s.desc)).toEqual(["plain"]);
    // the third one threw: dropped, and said as the rule's bug (once a rule and migration)
    expect(messages.filter((m) => m.ruleId === "internal-error").map((m) => m.message)).toEqual([expect.stringMatching(/^Rule "suggester" crashed on 2_changes: Error: suggestion part broke/)]);
  });

  it("a part read before the report is built (a suggestion's description) gives its text then", () => {
    const part = new SchemaPart(() => "now");
    expect(`${part}`).toBe("now");
    expect(new SchemaPart(() => "").or(part).text()).toBe("now");
  });
});

const corpus = path.resolve(__dirname, "../../../shared/corpus");
const corpusSchemas = fs.existsSync(corpus) ? findSchemas(corpus) : [];

// the corpus is optional (../shared/corpus): without it the suite is skipped
describe.skipIf(!corpusSchemas.length)("schemaMayMap never says no where the parsed schema has the model or field (corpus schemas)", () => {
  for (const file of corpusSchemas) {
    it(path.relative(corpus, file), () => {
      const text = fs.readFileSync(file, "utf8");
      const mayMap = schemaTextMayMap(text);
      const schema = parsePrismaSchema([{ path: file, text }]);
      expect(schema.models.length).toBeGreaterThan(0);
      for (const model of schema.models) {
        expect(mayMap(model.name, model.tableName), model.name).toBe(true);
        expect(mayMap(model.name.toUpperCase(), model.tableName)).toBe(true);
        for (const field of model.fields) expect(mayMap(field.name, field.columnName), `${model.name}.${field.name}`).toBe(true);
      }
      // and it does say no: a name no identifier has, a mapping to a string that is nowhere
      expect(mayMap("noSuchFieldAnywhere", "noSuchFieldAnywhere")).toBe(false);
      if (!text.includes("\\")) expect(mayMap(schema.models[0]!.name, "no_such_table_anywhere")).toBe(false);
    });
  }
});

function findSchemas(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "migrations") findSchemas(full, out);
    else if (entry.isFile() && entry.name.endsWith(".prisma")) out.push(full);
  }
  return out;
}

describe("a message waiting for its schema parts is the message interpolate makes (templatePieces)", () => {
  it("for any template, data and parts, including values that look like placeholders", () => {
    const key = fc.constantFrom("a", "b", "part", "other", "x.y");
    const piece = fc.oneof(fc.constantFrom("{{", "}}", " ", "text", "{{ a }}", "{a}"), key.map((k) => `{{${k}}}`));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join("")), fc.dictionary(key, fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("{{part}}", "{{a}}"), fc.integer(), fc.string({ maxLength: 6 }).map((s) => new SchemaPart(() => `<${s}>`)))), (template, data) => {
        const pieces = templatePieces(template, data);
        const joined = pieces.map((p) => (typeof p === "string" ? p : p.text())).join("");
        const resolved = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v instanceof SchemaPart ? v.text() : v]));
        expect(joined).toBe(interpolate(template, resolved));
      }),
      { seed: 15, numRuns: 2000 },
    );
  });
});

/**
 * No verdict waits for the schema either: work a rule leaves for when schema.prisma is parsed (RuleContext.whenSchema)
 * runs at once when it is, else after the migrations that follow, with its migration's file still whole; the findings
 * are those of a run whose schema was ready from the start.
 */
describe("rule work that needs the schema (whenSchema)", () => {
  const RENAME_SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url = env("DB")\n}\n\nmodel User {\n  id    Int     @id\n  email String? @map("mail")\n}\n';
  const renames = [
    { name: "1_init", sql: 'CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));' },
    // Prisma's DROP + ADD for a field renamed with @map: schema.prisma's field email now maps to "mail"
    { name: "2_rename", sql: '/*\n  Warnings:\n\n  - You are about to drop the column `email` on the `User` table. All the data in the column will be lost.\n\n*/\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "email",\nADD COLUMN     "mail" TEXT;\n' },
    { name: "3_later", sql: 'ALTER TABLE "User" ADD COLUMN "age" INTEGER;' },
  ];

  const waiter = defineRule({
    meta: { id: "waiter", type: "problem", docs: { description: "waits", preset: "all" }, defaultSeverity: "error", messages: { m: "{{what}} {{field}}" } },
    create: (context) => ({
      "add-column"(op) {
        context.whenSchema(() => {
          const field = context.prismaField(op.table, op.column.name);
          // asked again while the deferred work runs: at once
          let nested = false;
          context.whenSchema(() => (nested = true));
          context.report({ node: op, messageId: "m", data: { what: `${context.migration.name} ${context.migration.file.statements.length} statements nested ${nested}`, field: field?.name ?? "none" } });
        });
      },
      "drop-column"(op) {
        context.whenSchema(() => {
          throw new Error(`late failure on ${op.column}`);
        });
      },
    }),
  });

  async function lintRenames(ready: () => boolean | undefined, log: string[]) {
    const dialect = await loadDialect("postgresql");
    const config = await resolveConfig({ config: { rules: { waiter: "error", "implicit-rename": "error" } }, filepath: null, builtinRules, cwd: root, extraRules: { waiter } });
    const migrations: LoadedMigration[] = [];
    for (const [index, m] of renames.entries()) {
      const dir = path.join(root, "migrations", m.name);
      migrations.push({ entry: { name: m.name, dir, upPath: path.join(dir, "migration.sql"), downPath: null, extraFiles: [] }, index, file: await dialect.parseFile(path.join(dir, "migration.sql"), m.sql), error: null });
    }
    const schema = parsePrismaSchema([{ path: path.join(root, "schema.prisma"), text: RENAME_SCHEMA }]);
    const logged = config.rules.map((r) => ({ ...r, rule: { ...r.rule, create: (context: Parameters<typeof r.rule.create>[0]) => {
      log.push(`create ${r.id} ${context.migration.name}`);
      return r.rule.create(context);
    } } }));
    const model = { root, migrations, schemaSource: RENAME_SCHEMA, runner: dialect.runner({ detected: null, prismaConfigText: null }), dialect, postgresVersion: 16, lockProvider: "postgresql",
      ...(ready() === undefined ? {} : { schemaReady: () => ready()! }),
      get schema() {
        log.push("schema");
        return schema;
      } };
    const out = await lintProject(model, logged as typeof config.rules, () => true, {
      settle: (m) => log.push(`settle ${m.entry.name}`),
      release: (m) => log.push(`release ${m.entry.name} ${m.file!.statements.length}`),
    });
    return [...out.values()].flat();
  }

  it("runs after the later migrations while the schema parses, and finds what a ready schema finds", async () => {
    const eagerLog: string[] = [];
    const eager = await lintRenames(() => undefined, eagerLog);
    const log: string[] = [];
    const late = await lintRenames(() => false, log);
    expect(late).toEqual(eager);
    // the schema was first read after the last migration's rules were made: nothing waited for it while linting
    expect(log.indexOf("schema")).toBeGreaterThan(log.indexOf("create waiter 3_later"));
    expect(eagerLog.indexOf("schema")).toBeLessThan(eagerLog.indexOf("create waiter 3_later"));
    // each migration is settled when linted; one with work waiting is released after that work, its file whole
    expect(log.filter((l) => /^(settle|release)/.test(l))).toEqual(["settle 1_init", "release 1_init 1", "settle 2_rename", "settle 3_later", "release 2_rename 1", "release 3_later 1"]);

    const byRule = (id: string) => late.filter((m) => m.ruleId === id);
    // implicit-rename's evidence is the schema's field, and its suggestions read the migration's statements
    expect(byRule("implicit-rename")).toHaveLength(1);
    expect(byRule("implicit-rename")[0]!.message).toContain("schema.prisma's field User.email now maps to \"mail\"");
    // (the field has its @map already: only the RENAME is suggested, with the statements the migration had)
    expect(byRule("implicit-rename")[0]!.suggestions?.map((s) => [s.messageId, s.fix.text])).toEqual([["renameColumn", '-- AlterTable\nALTER TABLE "User" RENAME COLUMN "email" TO "mail"']]);
    // the work's findings belong to its migration and rule, with the schema read and the file whole (on 2_rename the
    // rule crashed first, in the work its DROP COLUMN left: skipped for the rest of that migration, as at once)
    expect(byRule("waiter").map((m) => [m.migration, m.line, m.message])).toEqual([["3_later", 1, "3_later 1 statements nested true none"]]);
    // a throw in the work is the rule's bug, on its migration, at the visitor that asked
    expect(byRule("internal-error").map((m) => [m.migration, m.line, m.message.split(":")[0]])).toEqual([["2_rename", 8, 'Rule "waiter" crashed on 2_rename']]);
    expect(byRule("internal-error")[0]!.message).toContain("late failure on email");
  });

  it("waits once MAX_HELD_MIGRATIONS (64) migrations are held, rather than keeping a long history whole", async () => {
    const dialect = await loadDialect("postgresql");
    const config = await resolveConfig({ config: { rules: { waiter: "error" } }, filepath: null, builtinRules, cwd: root, extraRules: { waiter } });
    const migrations: LoadedMigration[] = [];
    const sql = ['CREATE TABLE "User" ("id" INTEGER NOT NULL);', ...Array.from({ length: 99 }, (_, i) => `ALTER TABLE "User" ADD COLUMN "c${i}" INTEGER;`)];
    for (const [index, text] of sql.entries()) {
      const dir = path.join(root, "migrations", String(index).padStart(3, "0"));
      migrations.push({ entry: { name: path.basename(dir), dir, upPath: path.join(dir, "migration.sql"), downPath: null, extraFiles: [] }, index, file: await dialect.parseFile(path.join(dir, "migration.sql"), text), error: null });
    }
    const log: string[] = [];
    const schema = parsePrismaSchema([{ path: path.join(root, "schema.prisma"), text: RENAME_SCHEMA }]);
    const model = { root, migrations, schemaSource: RENAME_SCHEMA, runner: dialect.runner({ detected: null, prismaConfigText: null }), dialect, postgresVersion: 16, lockProvider: "postgresql",
      schemaReady: () => false,
      get schema() {
        log.push("schema");
        return schema;
      } };
    let mostHeld = 0;
    let held = 0;
    const out = await lintProject(model, config.rules, () => true, { settle: () => (mostHeld = Math.max(mostHeld, ++held)), release: () => held-- });
    expect(mostHeld).toBe(64);
    expect(held).toBe(0);
    expect([...out.values()].flat().filter((m) => m.ruleId === "waiter")).toHaveLength(99);
  });
});
