/**
 * Chooses the dialect of a project by provider and loads it lazily: each
 * dialect is its own module (and chunk of the CLI bundle), imported only when
 * a project of that provider is linted, so a Postgres run never loads another
 * dialect's code or parser.
 */
import { MigrationLintError } from "../errors.js";
import type { Dialect, DialectId } from "./dialect.js";

/** The provider spellings Prisma accepts, by dialect (`postgres` is Prisma's alias of `postgresql`). */
const PROVIDERS: Record<DialectId, readonly string[]> = {
  postgresql: ["postgresql", "postgres"],
  sqlite: ["sqlite"],
  mysql: ["mysql"],
};

/** The dialect a provider name selects, or null when migration-lint has none for it. */
export function dialectIdOf(provider: string): DialectId | null {
  for (const [id, names] of Object.entries(PROVIDERS) as Array<[DialectId, readonly string[]]>) if (names.includes(provider)) return id;
  return null;
}

/** The providers with a dialect, for messages. */
export const supportedProviders = (): string[] => Object.keys(PROVIDERS);

const loaded = new Map<DialectId, Promise<Dialect>>();

/** Imports a dialect's module once per process. */
export function loadDialect(id: DialectId): Promise<Dialect> {
  let dialect = loaded.get(id);
  if (!dialect) {
    dialect = importDialect(id);
    loaded.set(id, dialect);
  }
  return dialect;
}

// one literal import() per dialect, so the bundler gives each its own chunk
function importDialect(id: DialectId): Promise<Dialect> {
  switch (id) {
    case "postgresql":
      return import("./postgres/index.js").then((m) => m.postgres);
    case "sqlite":
      return import("./sqlite/index.js").then((m) => m.sqlite);
    case "mysql":
      return import("./mysql/index.js").then((m) => m.mysql);
  }
}

/**
 * The dialect of a project's provider (migration_lock.toml's, else the datasource's); with no provider
 * to go by, PostgreSQL. An unsupported provider is a project error naming the file that chose it.
 */
export async function dialectFor(provider: string | null, file: string): Promise<Dialect> {
  if (!provider) return loadDialect("postgresql");
  const id = dialectIdOf(provider);
  if (!id) throw new MigrationLintError("project", unsupportedProvider(provider, file), { file });
  return loadDialect(id);
}

/** Every provider name Prisma accepts in a datasource or migration_lock.toml (lower case, as Prisma spells them). */
const PRISMA_PROVIDERS = ["postgresql", "postgres", "mysql", "sqlite", "sqlserver", "cockroachdb", "mongodb"];

/** Why a provider has no dialect, in Prisma's own terms where Prisma itself refuses it. */
export function unsupportedProvider(provider: string, file: string): string {
  const inLock = file.endsWith("migration_lock.toml");
  if (!PRISMA_PROVIDERS.includes(provider)) {
    const meant = PRISMA_PROVIDERS.find((p) => p === provider.toLowerCase());
    const code = inLock ? "P3019, the migration_lock.toml provider does not match the datasource's" : "P1012, the datasource provider is not known";
    return meant
      ? `Provider "${provider}" is not a provider name Prisma knows: Prisma writes it "${meant}", in lower case, and prisma migrate refuses this project until it says provider = "${meant}" (${code}).`
      : `Provider "${provider}" is not a provider name Prisma knows (${PRISMA_PROVIDERS.join(", ")}), so prisma migrate refuses this project (${code}).`;
  }
  if (provider === "mongodb") return `Provider "mongodb" has no migrations: Prisma Migrate does not support MongoDB (it uses prisma db push), so there is nothing for migration-lint to lint.`;
  return `Provider "${provider}" is not supported yet: migration-lint lints PostgreSQL, SQLite and MySQL migrations. (SQL Server is planned.)`;
}
