/**
 * Which migrations may be edited (issue 17, "Safety of a fix"): only those applied nowhere yet. Prisma stores
 * each applied migration's checksum in `_prisma_migrations`; after any edit of its file, `prisma migrate dev`
 * reports the migration as modified (and offers to reset the database) and the databases that ran it keep the old
 * text. So a migration is editable when it is new on the branch (`--base`: added since the merge base, not in it)
 * and, given a database URL, when that database has no row for it. Otherwise the only action is the baseline.
 * `--fix` and the language server's code actions (src/lsp) decide with the same `refusalOf`.
 */
import { migrationChanges, type MigrationChanges } from "../git/changes.js";
import { MigrationLintError } from "../errors.js";

export interface EditPolicy {
  /** Null when the migration may be edited, else why not (a sentence). */
  refusal(migration: string): string | null;
}

const BASELINE = "an edit changes its checksum, which breaks `prisma migrate dev` and leaves the databases that ran it on the old text; the only action is to accept its findings in the baseline (`--write-baseline`) and make the change in a new migration";

/** The migrations a database lists in `_prisma_migrations` (not rolled back), and which database, its password redacted. */
export interface AppliedInDatabase {
  names: ReadonlySet<string>;
  where: string;
}

/** What tells whether a migration may be applied somewhere; what is absent was not asked. */
export interface AppliedEvidence {
  /** What changed in the migrations folder since the git base. */
  git?: MigrationChanges;
  /** The database's `_prisma_migrations`, or why it could not be read (then nothing is editable: it may be applied there). */
  database?: AppliedInDatabase | { error: string };
}

/** Null when `name` may be edited by what `evidence` says, else why not (a sentence). */
export function refusalOf(name: string, evidence: AppliedEvidence): string | null {
  const { git, database } = evidence;
  if (git) {
    const kind = git.changes.get(name);
    if (kind !== "added") {
      if (git.baseMigrations.includes(name)) return `${name} is in ${git.baseLabel}, so it may be applied already: ${BASELINE}.`;
      return `${name} is not new since ${git.baseLabel} (${kind ?? "unchanged"}), so it may be applied already: ${BASELINE}.`;
    }
  }
  if (database && "error" in database) return `${name} could not be checked against the database's _prisma_migrations (${database.error}), so it may be applied there and is not edited.`;
  if (database?.names.has(name)) return `${name} is applied on ${database.where} (a row in _prisma_migrations): ${BASELINE}.`;
  return null;
}

export interface EditPolicyOptions {
  migrationsDir: string;
  base?: string;
  databaseUrl?: string;
}

/** `--fix`'s policy: `--base`, `--database-url`, or both (a migration must pass each); neither refuses every migration. */
export async function editPolicy(options: EditPolicyOptions): Promise<EditPolicy> {
  if (options.base === undefined && options.databaseUrl === undefined) {
    return {
      refusal: (name) =>
        `${name} was not checked for being applied: --fix edits only migrations that no database has run yet, so give --base <ref> (a migration added on this branch since the merge base with <ref>) or --database-url (one the database's _prisma_migrations does not list).`,
    };
  }
  const evidence: AppliedEvidence = {};
  if (options.base !== undefined) {
    const changes = migrationChanges({ migrationsDir: options.migrationsDir, base: options.base });
    if ("error" in changes) throw new MigrationLintError("usage", `--fix cannot tell which migrations are new on the branch: ${changes.error}.`);
    evidence.git = changes;
  }
  if (options.databaseUrl !== undefined) evidence.database = await appliedMigrations(options.databaseUrl);
  return { refusal: (name) => refusalOf(name, evidence) };
}

/** The migrations a database's `_prisma_migrations` lists as applied (not rolled back), read in a read-only transaction as --drift-only reads. */
export async function appliedMigrations(url: string): Promise<AppliedInDatabase> {
  if (!/^postgres(ql)?:/i.test(url)) throw new MigrationLintError("usage", "_prisma_migrations is read from a postgresql:// database URL only; for other databases give a git base (--base <ref>).");
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
