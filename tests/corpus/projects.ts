/**
 * The Prisma projects of ../shared/corpus (test input, never copied here): each
 * migrations folder with its migration_lock.toml provider and its schema file.
 * Shared by the optional corpus suites, which skip cleanly when it is absent.
 */
import fs from "node:fs";
import path from "node:path";

export const CORPUS = path.resolve(__dirname, "../../../shared/corpus");

export interface CorpusProject {
  /** Path relative to the corpus, for test names. */
  name: string;
  /** The folder above `prisma/` (where `--cwd` points). */
  root: string;
  migrations: string;
  schema: string;
  provider: string;
}

/**
 * Every migrations folder (one with a migration_lock.toml). The schema is the
 * `schema.prisma` beside it, or `<prefix>-schema.prisma` for a `<prefix>-migrations`
 * folder (evolution-api keeps one pair per provider).
 */
export function corpusProjects(): CorpusProject[] {
  if (!fs.existsSync(CORPUS)) return [];
  const out: CorpusProject[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === "node_modules") continue;
      const full = path.join(dir, entry.name);
      const lock = path.join(full, "migration_lock.toml");
      if (!fs.existsSync(lock)) {
        walk(full);
        continue;
      }
      const prismaDir = path.dirname(full);
      const prefix = /^(.*)-migrations$/.exec(entry.name)?.[1];
      const schema = path.join(prismaDir, prefix ? `${prefix}-schema.prisma` : "schema.prisma");
      const provider = /provider\s*=\s*"([^"]+)"/.exec(fs.readFileSync(lock, "utf8"))?.[1] ?? "unknown";
      out.push({ name: path.relative(CORPUS, full), root: path.dirname(prismaDir), migrations: full, schema, provider });
    }
  };
  walk(CORPUS);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** migration.sql files of the projects of one provider, in a stable order. */
export function corpusMigrationFiles(provider: string): string[] {
  return corpusProjects()
    .filter((p) => p.provider === provider)
    .flatMap((p) =>
      fs
        .readdirSync(p.migrations, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(p.migrations, e.name, "migration.sql")))
        .map((e) => path.join(p.migrations, e.name, "migration.sql"))
        .sort(),
    );
}
