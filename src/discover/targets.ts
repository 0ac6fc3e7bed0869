/**
 * Turn positional CLI paths (what pre-commit / lint-staged pass) into lint
 * targets: which project, and which of its migrations.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { MigrationLintError } from "../errors.js";
import { compareByteOrder } from "../sources/prisma-migrate.js";
import { observe } from "./observed.js";
import { PRISMA_CONFIG_FILES, discoverProject, kindOf, listPrismaFiles, type PrismaProject } from "./project.js";

export interface LintTarget {
  project: PrismaProject;
  /** migration folder names to lint; null = all */
  migrations: string[] | null;
}

export interface ResolveOptions {
  cwd: string;
  schema?: string;
  migrations?: string;
}



async function exists(p: string): Promise<boolean> {
  observe(p, "kind");
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  for (;;) {
    out.push(d);
    const parent = path.dirname(d);
    if (parent === d) return out;
    d = parent;
  }
}

/** `child` is `parent` or below it. */
export function isWithin(parent: string, child: string): boolean {
  const r = path.relative(parent, child);
  return r === "" || (!r.startsWith("..") && !path.isAbsolute(r));
}

/** Marker files of a directory a developer runs Prisma from. */
export async function hasProjectMarker(dir: string): Promise<boolean> {
  if (await exists(path.join(dir, "package.json"))) return true;
  for (const name of PRISMA_CONFIG_FILES) if (await exists(path.join(dir, name))) return true;
  return false;
}

/** What a path resolved to: a project, and the migration it names (null = all, undefined = none). */
interface Resolved {
  project: PrismaProject;
  migration: string | null | undefined;
  /** The path named the project itself (root, schema): its project object is preferred when merging. */
  explicit: boolean;
}

export class Resolver {
  /** `within`: look for a project's root no higher than this folder (a monorepo root being searched). */
  constructor(private readonly within?: string) {}

  private ancestors(dir: string): string[] {
    const within = this.within;
    return within === undefined ? ancestorsOf(dir) : ancestorsOf(dir).filter((d) => isWithin(within, d));
  }

  private readonly discoveries = new Map<string, Promise<PrismaProject | null>>();
  private readonly migrationDirs = new Map<string, Promise<PrismaProject | null>>();

  /** Discovery from `dir` with no options; null when it fails (for any reason). */
  discover(dir: string): Promise<PrismaProject | null> {
    let p = this.discoveries.get(dir);
    if (!p) {
      p = discoverProject({ cwd: dir }).catch(() => null);
      this.discoveries.set(dir, p);
    }
    return p;
  }

  /**
   * The project whose migrations folder is `dir`, or null. Tries discovery
   * from every ancestor of `dir` (nearest first); among those whose
   * migrations folder is `dir`, prefers the nearest one holding a
   * package.json or prisma.config.* (where Prisma is run from), else the
   * farthest (e.g. the project root over its `prisma/` folder). Without any,
   * a folder named `migrations` or holding `migration_lock.toml` with a
   * `schema.prisma` beside it still counts.
   */
  projectForMigrationsDir(dir: string): Promise<PrismaProject | null> {
    let p = this.migrationDirs.get(dir);
    if (!p) {
      p = this.findProjectForMigrationsDir(dir);
      this.migrationDirs.set(dir, p);
    }
    return p;
  }

  private async findProjectForMigrationsDir(dir: string): Promise<PrismaProject | null> {
    if ((await kindOf(dir)) !== "dir") return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    let farthest: PrismaProject | null = null;
    for (const ancestor of this.ancestors(parent)) {
      const project = await this.discover(ancestor);
      if (!project || project.migrationsDir !== dir) continue;
      if (await hasProjectMarker(ancestor)) return project;
      farthest = project;
    }
    if (farthest) return farthest;
    const looksLikeMigrations = path.basename(dir) === "migrations" || (await kindOf(path.join(dir, "migration_lock.toml"))) === "file";
    if (!looksLikeMigrations) return null;
    const schema = path.join(parent, "schema.prisma");
    if ((await kindOf(schema)) !== "file") return null;
    try {
      return await discoverProject({ cwd: parent, schema, migrations: dir });
    } catch {
      return null;
    }
  }

  /** The project whose schema is, or contains, `p` (a .prisma file or a schema folder). */
  async projectForSchemaPath(p: string): Promise<PrismaProject | null> {
    const start = path.dirname(p);
    let farthest: PrismaProject | null = null;
    for (const ancestor of this.ancestors(start)) {
      const project = await this.discover(ancestor);
      if (!project) continue;
      if (project.schemaPath !== p && !project.schemaFiles.includes(p)) continue;
      if (await hasProjectMarker(ancestor)) return project;
      farthest = project;
    }
    return farthest;
  }

  /**
   * When `p` lies inside a migrations folder: its project and the migration
   * it belongs to (`null` for the migrations folder itself or its lock
   * file; `undefined` for another file directly in the migrations folder).
   */
  async inMigrationsDir(p: string, kind: "file" | "dir"): Promise<Resolved | null> {
    const start = kind === "dir" ? p : path.dirname(p);
    let child: string | null = kind === "dir" ? null : p;
    for (const dir of ancestorsOf(start)) {
      const project = await this.projectForMigrationsDir(dir);
      if (project) {
        if (child === null) return { project, migration: null, explicit: false };
        const name = path.basename(child);
        if (child === p && kind === "file") {
          // A file directly in the migrations folder.
          return { project, migration: name === "migration_lock.toml" ? null : undefined, explicit: false };
        }
        if (name.startsWith(".")) return { project, migration: undefined, explicit: false };
        return { project, migration: name, explicit: false };
      }
      child = dir;
    }
    return null;
  }
}

function notInProject(input: string, abs: string): MigrationLintError {
  return new MigrationLintError(
    "usage",
    `${input} is not part of a Prisma project: expected a migration.sql/down.sql file, a migration folder, ` +
      `a migrations folder, a .prisma file or a project root (resolved to ${abs})`,
  );
}

async function resolvePath(resolver: Resolver, input: string, abs: string, kind: "file" | "dir"): Promise<Resolved> {
  const inMigrations = await resolver.inMigrationsDir(abs, kind);
  if (inMigrations) return inMigrations;

  if (kind === "file") {
    const base = path.basename(abs);
    if (base.endsWith(".prisma")) {
      const project = await resolver.projectForSchemaPath(abs);
      if (project) return { project, migration: null, explicit: true };
      const dir = path.dirname(abs);
      // A schema file no default discovery reaches: use it as the schema.
      return { project: await discoverProject({ cwd: dir, schema: abs }), migration: null, explicit: true };
    }
    if (base === "package.json" || (PRISMA_CONFIG_FILES as readonly string[]).includes(base)) {
      const project = await resolver.discover(path.dirname(abs));
      if (project) return { project, migration: null, explicit: true };
    }
    throw notInProject(input, abs);
  }

  const project = await resolver.discover(abs);
  if (project) {
    // A folder inside a project (its `prisma/` folder, a folder below the
    // package.json that configures it): report the project from its real root.
    if (!(await hasProjectMarker(abs))) {
      const canonical = await resolver.projectForMigrationsDir(project.migrationsDir);
      if (canonical && canonical.schemaPath === project.schemaPath && isWithin(canonical.root, abs)) {
        return { project: canonical, migration: null, explicit: true };
      }
    }
    return { project, migration: null, explicit: true };
  }
  // A schema folder (prisma/schema/) named directly.
  if (listPrismaFiles(abs).length > 0) {
    const owner = await resolver.projectForSchemaPath(abs);
    if (owner) return { project: owner, migration: null, explicit: true };
  }
  throw notInProject(input, abs);
}

/**
 * Resolve CLI paths into lint targets, one per project (grouped by schema and
 * migrations folder; several paths of one project are merged, `null` = all
 * migrations wins). No paths: the project of `cwd`. With `--schema` /
 * `--migrations`, paths inside that project belong to it; others are
 * resolved on their own.
 */
export async function resolveTargets(paths: string[], options: ResolveOptions): Promise<LintTarget[]> {
  const cwd = path.resolve(options.cwd);
  if (paths.length === 0) {
    return [{ project: await discoverProject({ ...options, cwd }), migrations: null }];
  }

  const explicitOptions = options.schema !== undefined || options.migrations !== undefined;
  const configured = explicitOptions ? await discoverProject({ ...options, cwd }) : null;
  const resolver = new Resolver();

  interface Group {
    project: PrismaProject;
    explicit: boolean;
    all: boolean;
    names: Set<string>;
  }
  const groups = new Map<string, Group>();

  for (const input of paths) {
    const abs = path.resolve(cwd, input);
    const kind = await kindOf(abs);
    if (kind === null) {
      throw new MigrationLintError("usage", `No such file or directory: ${input}`);
    }

    let resolved: Resolved | null = null;
    if (configured) {
      if (isWithin(configured.migrationsDir, abs)) {
        const r = path.relative(configured.migrationsDir, abs);
        const first = r === "" ? null : r.split(path.sep)[0]!;
        const migration =
          first === null ? null :
          first === "migration_lock.toml" ? null :
          r === first && kind === "file" ? undefined :
          first.startsWith(".") ? undefined :
          first;
        resolved = { project: configured, migration, explicit: true };
      } else if (
        abs === configured.root ||
        abs === configured.schemaPath ||
        configured.schemaFiles.includes(abs) ||
        (configured.prismaConfigFile !== null && abs === configured.prismaConfigFile)
      ) {
        resolved = { project: configured, migration: null, explicit: true };
      }
    }
    resolved ??= await resolvePath(resolver, input, abs, kind);

    const key = `${resolved.project.schemaPath}\0${resolved.project.migrationsDir}`;
    let group = groups.get(key);
    if (!group) {
      group = { project: resolved.project, explicit: resolved.explicit, all: false, names: new Set() };
      groups.set(key, group);
    } else if (resolved.explicit && !group.explicit) {
      group.project = resolved.project;
      group.explicit = true;
    }
    if (resolved.migration === null) group.all = true;
    else if (resolved.migration !== undefined) group.names.add(resolved.migration);
  }

  return [...groups.values()].map((group) => ({
    project: group.project,
    migrations: group.all ? null : [...group.names].sort(compareByteOrder),
  }));
}
