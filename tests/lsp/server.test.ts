/**
 * `migration-lint lsp --stdio` driven over stdio by a real client library (vscode-languageserver-protocol's
 * connection): initialize, didOpen, didChange, publishDiagnostics, codeAction, applying a fix's WorkspaceEdit,
 * hover; a plugin rule that carries a fix and a suggestion, loaded through the config as a user loads it, and the
 * built-in lock-timeout fix. Needs the build (dist/cli/lsp.js), as the CLI tests do.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { CodeAction, Diagnostic, Hover, TextDocumentEdit, CreateFile } from "vscode-languageserver-protocol/node";
import { withPrismaMigrations } from "../fix/prisma-migrations-db.js";
import { initialize, project, RESOLVES_CODE_ACTIONS, startServer, uriOf, type TestClient } from "./client.js";

const made: string[] = [];
const clients: TestClient[] = [];
afterAll(() => {
  for (const client of clients) client.child.kill();
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const SCHEMA = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id    Int     @id @default(autoincrement())\n  email String?\n}\n`;
const INIT = `-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "name" TEXT,\n    "email" TEXT,\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n`;
const CHANGE = `-- AlterTable\nALTER TABLE "User" DROP COLUMN "name";\n`;

/** A plugin rule, as a user ships one: every DROP COLUMN gets a fix (a comment above it) and a suggestion that creates a migration. */
const PLUGIN = `export default {
  rules: {
    "note-drops": {
      meta: { id: "note-drops", type: "suggestion", docs: { description: "Notes drops.", preset: "all", url: "https://example.com/note-drops" }, defaultSeverity: "warn", fixable: "code", hasSuggestions: true, messages: { drop: "Drops {{column}}.", later: "Drop {{column}} in a later migration" } },
      create(context) {
        return {
          "drop-column": (op) => context.report({
            node: op,
            messageId: "drop",
            data: { column: op.column },
            fix: (fixer) => fixer.insertTextBefore(op.statement, "-- reviewed: " + op.column + " is unused\\n"),
            suggest: [{
              messageId: "later",
              fix: (fixer) => fixer.remove(op.statement),
              files: [{ filePath: context.migration.entry.dir + "_1_later/migration.sql", text: op.statement.text + ";\\n" }],
            }],
          }),
        };
      },
    },
  },
};
`;

/** A plugin rule with a wrong fix: it widens every INTEGER column it adds to BIGINT (another end schema). */
const WRONG_FIX = `export default {
  rules: {
    "widen": {
      meta: { id: "widen", type: "problem", docs: { description: "Widens.", preset: "all" }, defaultSeverity: "error", fixable: "code", messages: { int: "INTEGER" } },
      create(context) {
        return {
          "add-column"(op) {
            const text = context.migration.file.text;
            const at = text.indexOf("INTEGER", op.range.start);
            context.report({ node: op, messageId: "int", fix: (fixer) => fixer.replaceTextRange([at, at + 7], "BIGINT") });
          },
        };
      },
    },
  },
};
`;
const ADD_AGE = `-- AlterTable\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\n`;

/** The project, with the plugin `acme` (its code), the rules the config sets and the second migration's text. */
function fixture(plugin = PLUGIN, rules: Record<string, string> = { "acme/note-drops": "warn", "lock-timeout": "warn" }, change = CHANGE): { root: string; change: string } {
  const root = project({
    ".migration-lintrc.json": JSON.stringify({ extends: ["recommended"], plugins: ["./tools/migration-lint-plugin-acme/index.mjs"], rules }),
    "tools/migration-lint-plugin-acme/index.mjs": plugin,
    "prisma/schema.prisma": SCHEMA,
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "prisma/migrations/20240101000000_init/migration.sql": INIT,
    "prisma/migrations/20240201000000_drop_user_name/migration.sql": change,
  });
  made.push(root);
  return { root, change: path.join(root, "prisma/migrations/20240201000000_drop_user_name/migration.sql") };
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

/** Applies a WorkspaceEdit's edits of one document to its text, as a client does. */
function applyTo(document: TextDocument, action: CodeAction): string {
  const edits = (action.edit!.documentChanges ?? []).filter((c): c is TextDocumentEdit => "textDocument" in c && c.textDocument.uri === document.uri).flatMap((c) => c.edits);
  return TextDocument.applyEdits(document, edits as Parameters<typeof TextDocument.applyEdits>[1]);
}

describe("the language server over stdio", () => {
  it("publishes diagnostics, offers the fixes and actions, applies a fix, re-lints unsaved text, and hovers", { timeout: 60_000 }, async () => {
    const { root, change } = fixture();
    const client = startServer(root);
    clients.push(client);
    const init = (await initialize(client, root)) as { capabilities: { codeActionProvider: unknown; hoverProvider: boolean } };
    expect(init.capabilities.hoverProvider).toBe(true);
    await client.connection.sendNotification("initialized", {});

    // the whole project is linted at start, as the CLI lints it: the plugin's rule and the built-in ones
    let diagnostics = await client.diagnostics(change, (d) => d.length > 0);
    expect(codes(diagnostics)).toEqual(["acme/note-drops", "destructive-change", "lock-timeout"]);
    const destructive = diagnostics.find((d) => d.code === "destructive-change")!;
    expect(destructive).toMatchObject({
      severity: 1,
      source: "migration-lint",
      codeDescription: { href: "https://github.com/migration-lint/migration-lint/blob/main/docs/rules/destructive-change.md" },
      range: { start: { line: 1, character: 19 } },
    });
    expect(destructive.message).toMatch(/Drops column "name" of "User"[\s\S]*\n\n/); // message, then help

    let document = TextDocument.create(uriOf(change), "sql", 1, CHANGE);
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: document.uri, languageId: "sql", version: 1, text: CHANGE } });
    diagnostics = await client.diagnostics(change, (d) => d.length === 3);
    const note = diagnostics.find((d) => d.code === "acme/note-drops")!;

    const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: document.uri }, range: note.range, context: { diagnostics: [note] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual([
      "Fix: acme/note-drops",
      "Drop name in a later migration",
      "Disable acme/note-drops for this statement",
      "Add this acme/note-drops finding to the baseline",
      "Show documentation for acme/note-drops",
    ]);
    const [fix, suggestion, disable, baseline, docs] = actions as [CodeAction, CodeAction, CodeAction, CodeAction, CodeAction];
    expect(fix).toMatchObject({ kind: "quickfix", isPreferred: true });
    // the suggestion creates the new migration folder's file through the workspace edit
    const created = suggestion.edit!.documentChanges!.filter((c): c is CreateFile => "kind" in c && c.kind === "create");
    expect(created.map((c) => c.uri)).toEqual([uriOf(path.join(root, "prisma/migrations/20240201000000_drop_user_name_1_later/migration.sql"))]);
    expect(applyTo(document, suggestion)).toBe(`-- AlterTable\n;\n`);
    expect(applyTo(document, disable)).toBe(`-- AlterTable\n-- migration-lint-disable-next-line acme/note-drops -- REASON: say why this is safe here\nALTER TABLE "User" DROP COLUMN "name";\n`);
    const baselineEdit = baseline.edit!.documentChanges!;
    expect(baselineEdit[0]).toMatchObject({ kind: "create", uri: uriOf(path.join(root, ".migration-lint-baseline.json")) });
    const baselineText = (baselineEdit[1] as TextDocumentEdit).edits[0]!.newText;
    expect(JSON.parse(baselineText)).toEqual({ version: 1, entries: [expect.objectContaining({ migration: "20240201000000_drop_user_name", ruleId: "acme/note-drops", fingerprint: expect.any(String) })] });
    expect(docs.command).toMatchObject({ command: "migration-lint.showDocumentation", arguments: ["https://example.com/note-drops"] });
    await client.connection.sendRequest("workspace/executeCommand", docs.command);
    expect(client.messages).toContain("showDocument https://example.com/note-drops");

    // executing the fix: its WorkspaceEdit applied to the editor's text, then the edit sent as the client sends it
    const fixed = applyTo(document, fix);
    expect(fixed).toBe(`-- AlterTable\n-- reviewed: name is unused\nALTER TABLE "User" DROP COLUMN "name";\n`);
    document = TextDocument.create(document.uri, "sql", 2, fixed);
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri: document.uri, version: 2 }, contentChanges: [{ text: fixed }] });
    // the plugin still notes the drop (its fix is a comment), now a line lower: the unsaved text was linted
    diagnostics = await client.diagnostics(change, (d) => d.find((x) => x.code === "acme/note-drops")?.range.start.line === 2);
    expect(codes(diagnostics)).toEqual(["acme/note-drops", "destructive-change", "lock-timeout"]);

    // an unsafe statement typed into the buffer, never saved: the built-in rules see it, with the built-in fix
    const typed = `${fixed}CREATE INDEX "User_email_idx" ON "User"("email");\n`;
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri: document.uri, version: 3 }, contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: `CREATE INDEX "User_email_idx" ON "User"("email");\n` }] });
    document = TextDocument.create(document.uri, "sql", 3, typed);
    diagnostics = await client.diagnostics(change, (d) => d.some((x) => x.code === "require-concurrently"));
    expect(codes(diagnostics)).toEqual(["acme/note-drops", "destructive-change", "lock-timeout", "require-concurrently"]);
    expect(fs.readFileSync(change, "utf8")).toBe(CHANGE); // nothing was written
    const lockTimeout = diagnostics.find((d) => d.code === "lock-timeout")!;
    const builtin = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: document.uri }, range: lockTimeout.range, context: { diagnostics: [lockTimeout] } })) as CodeAction[];
    const builtinFix = builtin.find((a) => a.isPreferred)!;
    expect(applyTo(document, builtinFix)).toBe(`SET LOCAL lock_timeout = '5s';\n\n${typed}`);

    // hover on the CREATE INDEX: its lock, what it blocks, the runner, and where its table and column came from
    const hover = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri: document.uri }, position: { line: 3, character: 5 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    expect(text).toContain('`SHARE` on `"User"`: blocks writes while it builds the index');
    expect(text).toMatch(/\*\*Runner\*\*: Prisma .* sends this whole file in one transaction; this statement shares one transaction with 1 other statement/);
    expect(text).toContain('table `"User"`: created in 20240101000000_init');
    expect(text).toContain('column `"User"."email"` (text): added in 20240101000000_init');
    expect(hover.range).toEqual({ start: { line: 3, character: 0 }, end: { line: 3, character: 48 } });

    // fix all: every fix of the file in one edit
    const all = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: document.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["source.fixAll"] } })) as CodeAction[];
    expect(all.map((a) => a.kind)).toEqual(["source.fixAll.migration-lint"]);
    expect(applyTo(document, all[0]!)).toBe(`SET LOCAL lock_timeout = '5s';\n\n-- AlterTable\n-- reviewed: name is unused\n-- reviewed: name is unused\nALTER TABLE "User" DROP COLUMN "name";\nCREATE INDEX "User_email_idx" ON "User"("email");\n`);

    expect(await client.close()).toBe(0);
  });

  it("proves a fix before its edit: on codeAction/resolve for a client that resolves, before the answer for one that cannot; a fix whose end schema differs is refused with why", { timeout: 120_000 }, async () => {
    const { root, change } = fixture(WRONG_FIX, { "acme/widen": "error", "lock-timeout": "warn" }, ADD_AGE);
    const uri = uriOf(change);
    const client = startServer(root);
    clients.push(client);
    const init = (await initialize(client, root, {}, RESOLVES_CODE_ACTIONS)) as { capabilities: { codeActionProvider: { resolveProvider?: boolean } } };
    expect(init.capabilities.codeActionProvider.resolveProvider).toBe(true);
    await client.connection.sendNotification("initialized", {});
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "sql", version: 1, text: ADD_AGE } });
    const diagnostics = await client.diagnostics(change, (d) => codes(d).join() === "acme/widen,lock-timeout");
    const actionsOn = async (diagnostic: Diagnostic) => (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const resolve = (action: CodeAction) => client.connection.sendRequest("codeAction/resolve", action) as Promise<CodeAction>;
    const document = TextDocument.create(uri, "sql", 1, ADD_AGE);

    // offered without an edit: the edit comes once the fix is proven
    const widen = (await actionsOn(diagnostics.find((d) => d.code === "acme/widen")!)).find((a) => a.isPreferred)!;
    expect(widen).toMatchObject({ title: "Fix: acme/widen", kind: "quickfix" });
    expect(widen.edit).toBeUndefined();
    // INTEGER -> BIGINT: the history replayed with the fix ends in another schema, so it is refused, and said
    const refused = await resolve(widen);
    expect(refused.edit).toBeUndefined();
    expect(refused.disabled?.reason).toContain("with the fix the end schema differs: column public.User.age differs");
    expect(client.messages.join("\n")).toContain('"Fix: acme/widen" was not applied: the fix was not proven to keep the schema');

    // the built-in lock-timeout fix keeps the schema: proven, and its edit given
    const lockTimeout = (await actionsOn(diagnostics.find((d) => d.code === "lock-timeout")!)).find((a) => a.isPreferred)!;
    expect(lockTimeout.edit).toBeUndefined();
    const proven = await resolve(lockTimeout);
    expect(proven.disabled).toBeUndefined();
    expect(applyTo(document, proven)).toBe(`SET LOCAL lock_timeout = '5s';\n\n${ADD_AGE}`);

    // fix all applies the wrong fix too: refused as a whole
    const [all] = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["source.fixAll"] } })) as CodeAction[];
    expect(all!.edit).toBeUndefined();
    expect((await resolve(all!)).disabled?.reason).toContain("column public.User.age differs");

    // an action resolved after the text moved on is refused, not applied to the wrong place
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${ADD_AGE}\n` }] });
    expect((await resolve(lockTimeout)).disabled?.reason).toBe("the file changed since the fix was offered; ask for it again");
    expect(fs.readFileSync(change, "utf8")).toBe(ADD_AGE);
    expect(await client.close()).toBe(0);

    // a client that cannot resolve gets only fixes proven before the answer: the wrong one is not offered at all
    const eager = startServer(root);
    clients.push(eager);
    await initialize(eager, root);
    await eager.connection.sendNotification("initialized", {});
    await eager.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "sql", version: 1, text: ADD_AGE } });
    const again = await eager.diagnostics(change, (d) => codes(d).join() === "acme/widen,lock-timeout");
    const offered = async (code: string) => (await eager.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: again.find((d) => d.code === code)!.range, context: { diagnostics: [again.find((d) => d.code === code)!] } })) as CodeAction[];
    expect((await offered("acme/widen")).map((a) => a.title)).toEqual(["Disable acme/widen for this statement", "Add this acme/widen finding to the baseline", "Show documentation for acme/widen"]);
    const eagerFix = (await offered("lock-timeout")).find((a) => a.isPreferred)!;
    expect(applyTo(document, eagerFix)).toBe(`SET LOCAL lock_timeout = '5s';\n\n${ADD_AGE}`);
    expect(await eager.close()).toBe(0);
  });

  it("offers nothing that edits a migration at the git base (applied: editing it breaks Prisma's checksum): no fix, suggestion or disable directive, only the baseline", { timeout: 60_000 }, async () => {
    const { root, change } = fixture();
    const git = (...args: string[]) => spawnGit(root, args);
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
    const client = startServer(root);
    clients.push(client);
    await initialize(client, root, { base: "main" }, RESOLVES_CODE_ACTIONS);
    await client.connection.sendNotification("initialized", {});
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(change), languageId: "sql", version: 1, text: CHANGE } });
    const diagnostics = await client.diagnostics(change, (d) => d.length === 3);
    const actionsOn = async (code: string) => {
      const diagnostic = diagnostics.find((d) => d.code === code)!;
      return ((await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uriOf(change) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[]).map((a) => a.title);
    };
    expect(await actionsOn("destructive-change")).toEqual(["Add this destructive-change finding to the baseline", "Show documentation for destructive-change"]);
    // findings that carry a fix (and a suggestion) elsewhere
    expect(await actionsOn("acme/note-drops")).toEqual(["Add this acme/note-drops finding to the baseline", "Show documentation for acme/note-drops"]);
    expect(await actionsOn("lock-timeout")).toEqual(["Add this lock-timeout finding to the baseline", "Show documentation for lock-timeout"]);
    const all = await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uriOf(change) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["source.fixAll"] } });
    expect(all).toEqual([]);
    // a fix action a client kept from before is refused on resolve too
    const kept = await client.connection.sendRequest("codeAction/resolve", { title: "Fix all", kind: "source.fixAll.migration-lint", data: { migrationLint: "fix", uri: uriOf(change), version: 1, fingerprint: null } }) as CodeAction;
    expect(kept.edit).toBeUndefined();
    expect(kept.disabled?.reason).toMatch(/^20240201000000_drop_user_name is in the merge base with main \(\w+\), so it may be applied already: an edit changes its checksum/);
    expect(await client.close()).toBe(0);
  });
});

const titlesOn = async (client: TestClient, change: string, code: string) => {
  const diagnostic = (await client.diagnostics(change, (d) => d.some((x) => x.code === code))).find((d) => d.code === code)!;
  return ((await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uriOf(change) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[]).map((a) => a.title);
};
const ONLY_BASELINE = ["Add this acme/note-drops finding to the baseline", "Show documentation for acme/note-drops"];

describe("a database's _prisma_migrations (databaseUrl, MIGRATION_LINT_DATABASE_URL)", () => {
  it("a database that cannot be read leaves every migration uneditable (it may be applied there), and says so", { timeout: 60_000 }, async () => {
    const { root, change } = fixture();
    // nothing listens on port 1: the connection is refused
    const client = startServer(root, { env: { MIGRATION_LINT_DATABASE_URL: "postgresql://ml:secret-pw@127.0.0.1:1/app" } });
    clients.push(client);
    await initialize(client, root, {}, RESOLVES_CODE_ACTIONS);
    await client.connection.sendNotification("initialized", {});
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(change), languageId: "sql", version: 1, text: CHANGE } });
    expect(await titlesOn(client, change, "acme/note-drops")).toEqual(ONLY_BASELINE);
    const said = client.messages.find((m) => m.includes("cannot read _prisma_migrations"))!;
    expect(said).toContain("no migration gets a fix, suggestion or disable directive");
    expect(said).not.toContain("secret-pw");
    expect(await client.close()).toBe(0);
  });
});

const databaseUrl = process.env.MIGRATION_LINT_TEST_DATABASE_URL;

describe.skipIf(!databaseUrl)("a real Postgres's _prisma_migrations (MIGRATION_LINT_TEST_DATABASE_URL)", () => {
  it("a migration the database lists gets only the baseline; read again on demand once it is gone", { timeout: 120_000 }, async () => {
    await withPrismaMigrations(databaseUrl!, ["20240101000000_init", "20240201000000_drop_user_name"], async (url, db) => {
      const { root, change } = fixture();
      const client = startServer(root);
      clients.push(client);
      await initialize(client, root, { databaseUrl: url }, RESOLVES_CODE_ACTIONS);
      await client.connection.sendNotification("initialized", {});
      await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(change), languageId: "sql", version: 1, text: CHANGE } });
      expect(await titlesOn(client, change, "acme/note-drops")).toEqual(ONLY_BASELINE);
      // rolled back: no longer applied; the session's copy is read again on demand
      await db.query(`UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "migration_name" = '20240201000000_drop_user_name'`);
      await client.connection.sendRequest("workspace/executeCommand", { command: "migration-lint.readAppliedMigrations", arguments: [] });
      expect(client.messages.join("\n")).toMatch(/1 migrations are applied on postgresql:\S+\/ml_applied_\S+ \(read only, Postgres \d+\)/);
      expect(await titlesOn(client, change, "acme/note-drops")).toEqual(["Fix: acme/note-drops", "Drop name in a later migration", "Disable acme/note-drops for this statement", ...ONLY_BASELINE]);
      expect(await client.close()).toBe(0);
    });
  });
});

describe("user code cannot hang or end the server", () => {
  it("a plugin rule stuck in a loop is stopped; the lint goes on without it and says so; a process.exit is refused", { timeout: 60_000 }, async () => {
    const spin = `export default { rules: {
      spin: { meta: { id: "spin", type: "problem", docs: { description: "Loops.", preset: "all" }, defaultSeverity: "error", messages: { m: "never" } }, create: () => ({ "drop-column": () => { for (;;) {} } }) },
      quit: { meta: { id: "quit", type: "problem", docs: { description: "Exits.", preset: "all" }, defaultSeverity: "error", messages: { m: "never" } }, create: () => ({ "drop-column": () => process.exit(0) }) },
    } };\n`;
    const { root, change } = fixture(spin, { "acme/spin": "error", "acme/quit": "error" });
    const client = startServer(root);
    clients.push(client);
    await initialize(client, root, { ruleTimeBudgetMs: 300 });
    await client.connection.sendNotification("initialized", {});
    const diagnostics = await client.diagnostics(change, (d) => d.some((x) => x.code === "destructive-change"));
    const internal = diagnostics.filter((d) => d.code === "internal-error").map((d) => d.message);
    expect(internal).toEqual(expect.arrayContaining([expect.stringMatching(/^Rule "acme\/spin" did not finish within 300 ms on 20240201000000_drop_user_name/), expect.stringMatching(/process\.exit\(0\) was called/)]));
    // still answering
    expect(await client.close()).toBe(0);
  });
});

function spawnGit(cwd: string, args: string[]): void {
  const run = require("node:child_process").spawnSync("git", args, { cwd, encoding: "utf8" }) as { status: number; stderr: string };
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
}
