/**
 * editors/vscode: the extension is built from the repository's own files and packaged with @vscode/vsce (never
 * published), and the .vsix holds the client and a server that works: the bundled copy of migration-lint is
 * taken out of the package and driven over stdio on a project. `.ci/run` installs editors/vscode's own
 * dependencies (npm ci in that folder); without them the test is skipped, saying so.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CodeAction } from "vscode-languageserver-protocol/node";
import { initialize, project, RESOLVES_CODE_ACTIONS, startServer, uriOf } from "../lsp/client.js";

const EXTENSION = path.resolve(__dirname, "../../editors/vscode");
const installed = fs.existsSync(path.join(EXTENSION, "node_modules/@vscode/vsce"));
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** The .vsix's entries (a zip), read with yauzl, which vsce itself packs with. */
async function unzip(file: string, into: string): Promise<string[]> {
  const yauzl = createRequire(path.join(EXTENSION, "package.json"))("yauzl") as typeof import("yauzl");
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on("entry", (entry: import("yauzl").Entry) => {
        names.push(entry.fileName);
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const to = path.join(into, entry.fileName);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          stream.pipe(fs.createWriteStream(to)).on("finish", () => zip.readEntry());
        });
      });
      zip.on("end", () => resolve());
      zip.readEntry();
    });
  });
  return names;
}

describe.skipIf(!installed)("the VS Code extension", () => {
  it("is built and packaged into a .vsix holding the client and a working server", { timeout: 240_000 }, async () => {
    execFileSync("npm", ["run", "package"], { cwd: EXTENSION, stdio: "pipe" });
    const vsix = path.join(EXTENSION, "migration-lint.vsix");
    const into = fs.mkdtempSync(path.join(os.tmpdir(), "ml-vsix-"));
    made.push(into);
    const names = await unzip(vsix, into);
    const manifest = JSON.parse(fs.readFileSync(path.join(into, "extension/package.json"), "utf8")) as { main: string; activationEvents: string[]; contributes: { configuration: { properties: Record<string, unknown> } } };
    expect(manifest.main).toBe("./out/extension.js");
    expect(manifest.activationEvents).toContain("workspaceContains:**/migrations/*/migration.sql");
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(expect.arrayContaining(["migrationLint.enable", "migrationLint.path"]));
    // the client, with vscode-languageclient bundled in
    const client = fs.readFileSync(path.join(into, "extension/out/extension.js"), "utf8");
    expect(client).toContain(`"node_modules", "migration-lint"`);
    expect(client).toContain("textDocument/publishDiagnostics");
    expect(names.some((n) => n.startsWith("extension/src/") || n.startsWith("extension/node_modules/"))).toBe(false);

    // the bundled server answers over stdio on a project, from where the package unpacked
    const root = project({
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
      "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
      "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "A" ("id" INT PRIMARY KEY, "b" TEXT);\n',
      "prisma/migrations/20240201000000_drop_b/migration.sql": 'ALTER TABLE "A" DROP COLUMN "b";\n',
      ".migration-lintrc.json": JSON.stringify({ extends: ["recommended"], rules: { "lock-timeout": "warn" } }),
    });
    made.push(root);
    const server = startServer(root, { bin: path.join(into, "extension/server/bin/migration-lint.js") });
    try {
      await initialize(server, root, {}, RESOLVES_CODE_ACTIONS);
      await server.connection.sendNotification("initialized", {});
      const change = path.join(root, "prisma/migrations/20240201000000_drop_b/migration.sql");
      const diagnostics = await server.diagnostics(change, (d) => d.length > 0);
      expect(diagnostics.map((d) => d.code)).toContain("destructive-change");
      // a fix is proven before its edit is given: the bundled copy carries PGlite for it
      const text = fs.readFileSync(change, "utf8");
      await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(change), languageId: "sql", version: 1, text } });
      const lockTimeout = (await server.diagnostics(change, (d) => d.some((x) => x.code === "lock-timeout"))).find((d) => d.code === "lock-timeout")!;
      const actions = (await server.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uriOf(change) }, range: lockTimeout.range, context: { diagnostics: [lockTimeout] } })) as CodeAction[];
      const resolved = (await server.connection.sendRequest("codeAction/resolve", actions.find((a) => a.isPreferred))) as CodeAction;
      expect(resolved.disabled).toBeUndefined();
      expect(JSON.stringify(resolved.edit)).toContain("SET LOCAL lock_timeout");
      expect(await server.close()).toBe(0);
    } finally {
      server.child.kill();
    }
  });
});
