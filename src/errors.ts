/**
 * An expected failure that ends a run with exit code 2 and a one-line message
 * (never a stack trace): bad usage, bad configuration, a project that cannot be found.
 */
export class MigrationLintError extends Error {
  readonly kind: "usage" | "config" | "project" | "internal";
  /** File the problem is in, when there is one. */
  readonly file: string | undefined;
  /** 1-based line in `file`, when known. */
  readonly line: number | undefined;

  constructor(kind: MigrationLintError["kind"], message: string, where?: { file?: string; line?: number }) {
    super(message);
    this.name = "MigrationLintError";
    this.kind = kind;
    this.file = where?.file;
    this.line = where?.line;
  }

  /** `file:line: message`, or the message alone. */
  format(): string {
    if (!this.file) return this.message;
    return `${this.file}${this.line ? `:${this.line}` : ""}: ${this.message}`;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A thrown non-Error, shown in a few characters. */
export function thrownValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || typeof value !== "object") return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 80)}…` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
