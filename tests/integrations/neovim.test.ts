/**
 * Neovim's own LSP client runs the language server as docs/editors.md says: the test takes that page's Lua blocks
 * as they are (the `vim.lsp.start` setup and the shim that gives Neovim 0.7 the same), runs them in `nvim
 * --headless` on a project whose node_modules/migration-lint is this checkout (the setup runs it with `npx
 * --no-install`), opens a migration.sql from another working directory, waits until Neovim holds diagnostics for
 * it (`vim.diagnostic.get`) and writes them to a file this test reads. Skipped, with the reason, without nvim
 * (.ci/run installs Debian's where it can).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { missingTool, ROOT, temp, writeTree } from "./hosts.js";

/** Why nvim cannot run this test, or undefined: it must have vim.diagnostic and an LSP client (0.7 and later). */
function nvimMissing(): string | undefined {
  const missing = missingTool("nvim");
  if (missing) return missing;
  const probe = spawnSync("nvim", ["--headless", "-u", "NONE", "-i", "NONE", "-c", 'lua io.stdout:write((vim.diagnostic and vim.lsp.start_client) and "ok" or "old")', "-c", "qa!"], { encoding: "utf8", timeout: 30_000 });
  return probe.stdout.trim() === "ok" ? undefined : `nvim ${spawnSync("nvim", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]} has no vim.diagnostic (Neovim 0.7 and later)`;
}

/** The Lua blocks of docs/editors.md's Neovim section, in order. */
function documentedLua(): string[] {
  const page = fs.readFileSync(path.join(ROOT, "docs/editors.md"), "utf8");
  const start = page.indexOf("## Neovim");
  const end = page.indexOf("\n## ", start);
  const section = page.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```lua\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const skipReason = nvimMissing();
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe("Neovim (docs/editors.md's setup, nvim --headless)", () => {
  it.skipIf(skipReason)(`starts migration-lint lsp --stdio and holds its diagnostics for a migration.sql${skipReason ? ` (skipped: ${skipReason})` : ""}`, { timeout: 180_000 }, () => {
    const root = temp("ml-nvim-");
    const elsewhere = temp("ml-nvim-cwd-");
    made.push(root, elsewhere);
    writeTree(root, {
      "package.json": JSON.stringify({ name: "app", private: true, devDependencies: { "migration-lint": "*" } }),
      ".migration-lintrc.json": JSON.stringify({ extends: ["recommended"] }),
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id Int @id @default(autoincrement())\n}\n',
      "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
      "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n',
      "prisma/migrations/20240201000000_drop_name/migration.sql": '-- AlterTable\nALTER TABLE "User" DROP COLUMN "name";\n',
    });
    // the project's own migration-lint, as npm installs it: this checkout
    fs.mkdirSync(path.join(root, "node_modules/.bin"), { recursive: true });
    fs.symlinkSync(ROOT, path.join(root, "node_modules/migration-lint"), "dir");
    fs.symlinkSync("../migration-lint/bin/migration-lint.js", path.join(root, "node_modules/.bin/migration-lint"));

    const [setup, shim] = documentedLua();
    expect(setup).toContain("vim.lsp.start({");
    expect(shim).toContain("vim.lsp.start_client");
    const out = path.join(elsewhere, "diagnostics.json");
    const harness = `
vim.api.nvim_create_autocmd("VimEnter", { callback = function()
  local buf = vim.api.nvim_get_current_buf()
  local waited = vim.wait(120000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, source = d.source, code = d.code or lsp.code, message = d.message })
  end
  local clients = {}
  for _, c in pairs(vim.lsp.get_active_clients()) do table.insert(clients, { name = c.name, root = c.config.root_dir }) end
  local v = vim.version()
  local f = assert(io.open(${JSON.stringify(out)}, "w"))
  f:write(vim.fn.json_encode({ waited = waited, diagnostics = diagnostics, clients = clients, version = v.major .. "." .. v.minor .. "." .. v.patch }))
  f:close()
  vim.cmd("qa!")
end })
`;
    const init = path.join(elsewhere, "init.lua");
    fs.writeFileSync(init, `${shim}\n${setup}\n${harness}`);
    const file = path.join(root, "prisma/migrations/20240201000000_drop_name/migration.sql");
    const xdg = (name: string) => path.join(elsewhere, name);
    const run = spawnSync("nvim", ["--headless", "-u", init, "-i", "NONE", "-n", file], {
      cwd: elsewhere,
      encoding: "utf8",
      timeout: 170_000,
      env: { ...process.env, XDG_CONFIG_HOME: xdg("config"), XDG_DATA_HOME: xdg("data"), XDG_STATE_HOME: xdg("state"), XDG_CACHE_HOME: xdg("cache"), npm_config_update_notifier: "false" },
    });
    expect(fs.existsSync(out), `nvim wrote no result (status ${run.status}, signal ${run.signal}): ${run.stdout}${run.stderr}`).toBe(true);
    const result = JSON.parse(fs.readFileSync(out, "utf8")) as { waited: boolean; version: string; clients: Array<{ name: string; root: string }>; diagnostics: Array<{ lnum: number; col: number; severity: number; source: string; code: string; message: string }> };
    expect(result.clients, `nvim ${result.version}`).toEqual([{ name: "migration-lint", root }]);
    expect(result.waited).toBe(true);
    const destructive = result.diagnostics.find((d) => d.code === "destructive-change");
    expect(destructive, JSON.stringify(result)).toMatchObject({ lnum: 1, col: 19, severity: 1, source: "migration-lint" });
    expect(destructive!.message).toContain('Drops column "name" of "User"');
  });
});
