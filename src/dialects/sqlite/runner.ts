/**
 * How a SQLite migration file is run (docs/runner-model.md, "SQLite"). `prisma migrate deploy`, every
 * version: `apply_migration_script` hands the whole file to rusqlite's `execute_batch`, which runs the
 * statements one after another with no transaction around them, so each commits on its own
 * (per-statement). Cloudflare D1 (wrangler) and other transactional runners wrap the file in one
 * transaction (script-transaction), where `PRAGMA foreign_keys=OFF` does nothing.
 */
import type { RunnerInput } from "../dialect.js";
import type { RunnerInfo } from "../../types.js";

export function sqliteRunner(input: RunnerInput): RunnerInfo {
  const prismaVersion = input.configuredVersion ?? input.detected?.version ?? null;
  const transactional = input.configuredRunner === "d1" || input.configuredRunner === "transaction";
  return {
    model: transactional ? "script-transaction" : "per-statement",
    prismaVersion,
    source: input.configuredRunner && input.configuredRunner !== "prisma" ? `runner: ${input.configuredRunner}` : input.configuredVersion ? "config" : input.detected?.source ?? "unknown",
    ...(transactional ? {} : { statementByStatement: "`prisma migrate deploy` runs a SQLite file statement by statement in every Prisma version, each statement committing on its own" }),
  };
}
