/** A copy of fixtures/example made a project whose schema is a folder, for the last run's tests. */
import fs from "node:fs";
import path from "node:path";

/**
 * The example as a multi-file schema (Prisma 6.7+, `prismaSchemaFolder` before): prisma/schema/ holds the file with the
 * datasource, the models in models/, and the migrations (Prisma's default, beside the datasource file).
 */
export function asFolderSchema(dir: string): string {
  const prisma = path.join(dir, "prisma");
  const text = fs.readFileSync(path.join(prisma, "schema.prisma"), "utf8");
  const models = text.indexOf("\nenum ");
  fs.mkdirSync(path.join(prisma, "schema", "models"), { recursive: true });
  fs.writeFileSync(path.join(prisma, "schema", "schema.prisma"), text.slice(0, models + 1));
  fs.writeFileSync(path.join(prisma, "schema", "models", "shop.prisma"), text.slice(models + 1));
  fs.rmSync(path.join(prisma, "schema.prisma"));
  fs.renameSync(path.join(prisma, "migrations"), path.join(prisma, "schema", "migrations"));
  return dir;
}
