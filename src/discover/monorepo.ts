/**
 * Every Prisma project below a folder, for a run from a monorepo's root (no schema there, no paths given): like
 * ESLint with a glob, each project found is linted on its own. A project is a Prisma schema with a migrations
 * folder, found as the Prisma CLI finds it from its package (prisma.config.*, package.json "prisma.schema", the
 * default locations), or a `<name>-schema.prisma` beside `<name>-migrations` (a repository that keeps one schema
 * per database provider and copies the matching folder to `migrations` before `prisma migrate`).
 */
import path from "node:path";
import { compareByteOrder } from "../sources/prisma-migrate.js";
import { discoverProject, findDatasourceFile, kindOf, type PrismaProject } from "./project.js";
import { Resolver, hasProjectMarker, isWithin, type LintTarget } from "./targets.js";

export interface ProjectsBelow {
  /** One target per project (all its migrations), in path order. */
  targets: LintTarget[];
  /** Schemas with a datasource that belong to no project with a migrations folder: what was passed over, and why. */
  passedOver: Array<{ file: string; message: string }>;
}

/**
 * The Prisma projects below `root`: every `*.prisma` file outside node_modules, dist, dot-folders, migration folders
 * and what the `.gitignore` files ignore (src/discover/find-schemas.ts), resolved to the project it belongs to
 * (searching for the project's root no higher than `root`).
 */
export async function findProjectsBelow(root: string): Promise<ProjectsBelow> {
  const { findSchemaFiles } = await import("./find-schemas.js"); // with the `ignore` package: loaded by a monorepo's run only
  const schemaFiles = findSchemaFiles(root).sort(compareByteOrder);
  const resolver = new Resolver(root);
  const projects = new Map<string, PrismaProject>();
  const claimed = new Set<string>();
  const loose: string[] = [];
  for (const file of schemaFiles) {
    if (claimed.has(file)) continue;
    const owner = await resolver.projectForSchemaPath(file);
    const project = owner?.migrationsDirExists ? owner : await pairedProject(file, root);
    if (!project) {
      loose.push(file);
      continue;
    }
    for (const f of project.schemaFiles) claimed.add(f);
    projects.set(`${project.schemaPath}\0${project.migrationsDir}`, project);
  }
  const passedOver: ProjectsBelow["passedOver"] = [];
  for (const file of loose) {
    if (claimed.has(file) || !(await findDatasourceFile([file]))) continue;
    const paired = pairedMigrationsName(file);
    const looked = paired ? `${paired} or migrations` : "migrations";
    passedOver.push({ file, message: `a schema with no migrations folder beside it (looked for ${looked}): not a Prisma Migrate project.` });
  }
  const targets = [...projects.values()].sort((a, b) => compareByteOrder(a.migrationsDir, b.migrationsDir)).map((project) => ({ project, migrations: null }));
  return { targets, passedOver };
}

/** `mysql-migrations` for `mysql-schema.prisma`, null for a schema not named that way. */
function pairedMigrationsName(file: string): string | null {
  const prefix = /^(.+)-schema\.prisma$/.exec(path.basename(file))?.[1];
  return prefix ? `${prefix}-migrations` : null;
}

/**
 * `<name>-schema.prisma` with `<name>-migrations` beside it, as one project. Its root is the nearest folder up to
 * `root` with a package.json or prisma.config.*, else the folder above a `prisma/` folder, else the schema's folder.
 */
async function pairedProject(file: string, root: string): Promise<PrismaProject | null> {
  const name = pairedMigrationsName(file);
  const dir = path.dirname(file);
  if (!name || (await kindOf(path.join(dir, name))) !== "dir") return null;
  let projectRoot = path.basename(dir) === "prisma" && dir !== root ? path.dirname(dir) : dir;
  for (let d = dir; isWithin(root, d); d = path.dirname(d)) {
    if (await hasProjectMarker(d)) {
      projectRoot = d;
      break;
    }
    if (d === root) break;
  }
  return discoverProject({ cwd: projectRoot, schema: file, migrations: path.join(dir, name) }).catch(() => null);
}
