/**
 * Which runner `prisma migrate deploy` uses for a project, from its Prisma
 * version. The evidence and the version cut-offs are in docs/runner-model.md.
 */
import type { RunnerInfo, RunnerModel } from "../../types.js";

function parseVersion(version: string): [number, number, number, boolean] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[\w.]+)?/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), !!m[4]] : null;
}

const atLeast = (v: [number, number, number, boolean], major: number, minor: number) => v[0] > major || (v[0] === major && v[1] >= minor);

/**
 * Does a prisma.config.* text select a driver adapter for Migrate? Only the
 * 6.6 - 6.19 config shapes matter (7.0 removed adapter-based Migrate).
 * `null` when there is no config file to tell.
 */
export function configSelectsMigrateAdapter(configText: string | null): boolean | null {
  if (configText === null) return null;
  return /\badapter\s*[:(,}]/.test(configText) || /\badapter\s*$/m.test(configText);
}

/**
 * The runner model for a Prisma version:
 * - 7.4.0 up to 8: statements sent one by one (per-statement);
 * - 6.6 - 6.19 with a driver adapter selected for Migrate in prisma.config: per-statement;
 * - everything else, and any unknown or unparsable version: the whole file as one script,
 *   which Postgres runs as one implicit transaction.
 */
export function runnerModelFor(version: string | null, migrateAdapter: boolean | null = null): RunnerModel {
  const v = version ? parseVersion(version) : null;
  if (!v) return "script-transaction";
  if (v[0] >= 8) return "script-transaction"; // Prisma Next does not run migration.sql; assume the safe model
  // 7.4.0 prereleases already split, but sort below 7.4.0: staying on the safe side is intended
  if (atLeast(v, 7, 4) && !(v[3] && v[0] === 7 && v[1] === 4 && v[2] === 0)) return "per-statement";
  if (v[0] === 6 && v[1] >= 6 && migrateAdapter === true) return "per-statement";
  return "script-transaction";
}

export function resolveRunner(options: {
  configuredVersion?: string | undefined;
  detected: { version: string; source: string } | null;
  prismaConfigText: string | null;
}): RunnerInfo {
  const version = options.configuredVersion ?? options.detected?.version ?? null;
  const source = options.configuredVersion ? "config" : options.detected?.source ?? "unknown";
  return { model: runnerModelFor(version, configSelectsMigrateAdapter(options.prismaConfigText)), prismaVersion: version, source };
}
