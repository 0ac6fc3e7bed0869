/**
 * Which migrations `--fix` may edit (issue 17, "Safety of a fix"): only those applied nowhere yet. Prisma stores
 * each applied migration's checksum in `_prisma_migrations`; after any edit of its file, `prisma migrate dev`
 * reports the migration as modified (and offers to reset the database) and the databases that ran it keep the old
 * text. So a migration is editable when it is new on the branch (`--base`: added since the merge base, not in it),
 * or, given a database URL, when that database has no row for it. Otherwise the only action is the baseline.
 */
import { migrationChanges } from "../git/changes.js";
import { MigrationLintError } from "../errors.js";

export interface EditPolicy {
  /** Null when the migration may be edited, else why not (a sentence). */
  refusal(migration: string): string | null;
}

const BASELINE = "an edit changes its checksum, which breaks `prisma migrate dev` and leaves the databases that ran it on the old text; the only action is to accept its findings in the baseline (`--write-baseline`) and make the change in a new migration";

export interface EditPolicyOptions {
  migrationsDir: string;
  base?: string;
  databaseUrl?: string;
}

export async function editPolicy(options: EditPolicyOptions): Promise<EditPolicy> {
  if (options.base !== undefined) {
    const changes = migrationChanges({ migrationsDir: options.migrationsDir, base: options.base });
    if ("error" in changes) throw new MigrationLintError("usage", `--fix cannot tell which migrations are new on the branch: ${changes.error}.`);
    return {
      refusal: (name) => {
        const kind = changes.changes.get(name);
        if (kind === "added") return null;
        if (changes.baseMigrations.includes(name)) return `${name} is in ${changes.baseLabel}, so it may be applied already: ${BASELINE}.`;
        return `${name} is not new since ${changes.baseLabel} (${kind ?? "unchanged"}), so it may be applied already: ${BASELINE}.`;
      },
    };
  }
  if (options.databaseUrl !== undefined) {
    const applied = await appliedMigrations(options.databaseUrl);
    return { refusal: (name) => (applied.names.has(name) ? `${name} is applied on ${applied.where} (a row in _prisma_migrations): ${BASELINE}.` : null) };
  }
  return {
    refusal: (name) =>
      `${name} was not checked for being applied: --fix edits only migrations that no database has run yet, so give --base <ref> (a migration added on this branch since the merge base with <ref>) or --database-url (one the database's _prisma_migrations does not list).`,
  };
}

/** The migrations a database's `_prisma_migrations` lists as applied (not rolled back), read in a read-only transaction as --drift-only reads. */
async function appliedMigrations(url: string): Promise<{ names: Set<string>; where: string }> {
  if (!/^postgres(ql)?:/i.test(url)) throw new MigrationLintError("usage", "--fix reads _prisma_migrations from a postgresql:// --database-url only; for other databases give --base <ref>.");
  const { openReadOnly } = await import("../replay/target.js");
  const { quoteIdent } = await import("../replay/driver.js");
  const target = await openReadOnly(url);
  try {
    const table = `${quoteIdent(target.defaultSchema)}."_prisma_migrations"`;
    const [exists] = await target.db.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table]);
    if (!exists?.found) return { names: new Set(), where: target.description };
    const rows = await target.db.query<{ name: string }>(`SELECT migration_name AS name FROM ${table} WHERE rolled_back_at IS NULL`);
    return { names: new Set(rows.map((r) => r.name)), where: target.description };
  } finally {
    await target.cleanup();
  }
}
