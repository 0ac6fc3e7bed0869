/**
 * How Prisma runs a MySQL migration: the whole file as one multi-statement
 * query, outside any transaction, and MySQL commits every DDL statement on its
 * own (implicit commit), so a failure on statement 3 leaves 1 and 2 applied.
 * That holds for every Prisma version: the evidence is in docs/runner-model.md.
 */
import type { RunnerInfo } from "../../types.js";
import type { RunnerInput } from "../dialect.js";

export function mysqlRunner(input: RunnerInput): RunnerInfo {
  const version = input.configuredVersion ?? input.detected?.version ?? null;
  return { model: "per-statement", prismaVersion: version, source: input.configuredVersion ? "config" : input.detected?.source ?? "unknown" };
}
