/** `--stdin` / `--stdin-filename`: a migration from an editor buffer, linted with the project's history (src/discover/buffer.ts). */
import { MigrationLintError } from "../errors.js";
import type { EditorBuffer } from "../discover/buffer.js";

export async function editorBuffer(values: { stdin?: boolean; "stdin-filename"?: string }, positionals: readonly string[]): Promise<EditorBuffer | undefined> {
  const filePath = values["stdin-filename"];
  if (!values.stdin) {
    if (filePath !== undefined) throw new MigrationLintError("usage", "--stdin-filename names the file of the text read with --stdin; add --stdin.");
    return undefined;
  }
  if (filePath === undefined) {
    throw new MigrationLintError("usage", "--stdin needs --stdin-filename <prisma/migrations/<name>/migration.sql>: where the migration sits in the history (its folder may not exist yet).");
  }
  if (positionals.length) throw new MigrationLintError("usage", `--stdin lints the text it reads, not paths: remove ${positionals.join(" ")}.`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { filePath, text: new Uint8Array(Buffer.concat(chunks)) };
}
