/**
 * What decides how a project's migration files are run, read from the project (the Prisma version
 * configured or detected, its prisma.config.* text, the `runner` config key); its dialect turns it into the runner model
 * (`Dialect.runner`). The evidence and the version cut-offs are in docs/runner-model.md.
 */
import { readFile } from "node:fs/promises";
import { detectPrismaVersion } from "../discover/prisma-version.js";
import { observe } from "../discover/observed.js";
import type { Dialect, RunnerInput } from "../dialects/dialect.js";
import type { RunnerInfo } from "../types.js";

/** The configured Prisma version, else the one detected from the project's root, and its prisma.config.* file. */
export async function runnerInput(project: { root: string; prismaConfigFile: string | null }, config: { prismaVersion: string | undefined; runner?: RunnerInput["configuredRunner"] }): Promise<RunnerInput> {
  const configuredVersion = config.prismaVersion;
  if (project.prismaConfigFile) observe(project.prismaConfigFile, "content");
  const [detected, prismaConfigText] = await Promise.all([
    configuredVersion ? Promise.resolve(null) : detectPrismaVersion(project.root),
    project.prismaConfigFile ? readFile(project.prismaConfigFile, "utf8").catch(() => null) : Promise.resolve(null),
  ]);
  return { configuredVersion, detected, prismaConfigText, configuredRunner: config.runner };
}

/** The runner of a discovered project under its dialect. */
export async function projectRunner(project: { root: string; prismaConfigFile: string | null }, config: Parameters<typeof runnerInput>[1], dialect: Dialect): Promise<RunnerInfo> {
  return dialect.runner(await runnerInput(project, config));
}
