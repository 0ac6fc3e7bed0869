/**
 * `--rule`, in ESLint's syntax (its `levn` notation for an object): `destructive-change: off`,
 * `'destructive-change: [warn, {allowPreserved: true}]'`, JSON (`{"destructive-change": "warn"}`), or several
 * rules at once (`a: off, b: warn`). Keys and plain words need no quotes; numbers, true, false and null are
 * values. Repeatable: a later setting of a rule wins. Ids, severities and options are checked with the
 * config's own rules (src/config/resolve.ts), after the config file, which they override.
 */
import { MigrationLintError } from "../errors.js";
import type { RuleSetting } from "../config/types.js";

export function parseRuleOptions(values: readonly string[]): Record<string, RuleSetting> {
  const settings: Record<string, RuleSetting> = {};
  for (const value of values) {
    let parsed: unknown;
    try {
      parsed = new Reader(value).document();
    } catch (err) {
      throw new MigrationLintError("usage", `--rule '${value}': ${(err as Error).message}. Write --rule 'rule-id: severity' or --rule 'rule-id: [severity, {option: value}]'.`);
    }
    for (const [id, setting] of Object.entries(parsed as Record<string, unknown>)) {
      Object.defineProperty(settings, id, { value: setting, enumerable: true, writable: true, configurable: true });
    }
  }
  return settings;
}

const BARE_END = /[,:\]}[{]/;

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  /** The whole text: `{ ... }`, or the pairs of an object without its braces. */
  document(): Record<string, unknown> {
    this.space();
    const value = this.peek() === "{" ? this.value() : this.pairs(null);
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected "${this.text[this.at]}"`);
    if (!value || typeof value !== "object" || Array.isArray(value)) this.fail("expected rule settings");
    if (!Object.keys(value as object).length) this.fail("no rule given");
    return value as Record<string, unknown>;
  }

  private value(): unknown {
    this.space();
    const c = this.peek();
    if (c === "[") {
      this.at++;
      const list: unknown[] = [];
      for (this.space(); this.peek() !== "]"; this.space()) {
        list.push(this.value());
        this.space();
        if (this.peek() === ",") this.at++;
        else if (this.peek() !== "]") this.fail('expected "," or "]"');
      }
      this.at++;
      return list;
    }
    if (c === "{") {
      this.at++;
      const object = this.pairs("}");
      this.at++;
      return object;
    }
    if (c === '"' || c === "'") return this.quoted();
    const word = this.bare();
    if (word === "") this.fail(this.at < this.text.length ? `unexpected "${this.text[this.at]}"` : "a value is missing");
    if (word === "true" || word === "false") return word === "true";
    if (word === "null") return null;
    return /^-?\d+(\.\d+)?$/.test(word) ? Number(word) : word;
  }

  /** `key: value` pairs up to `end` (null: the end of the text). */
  private pairs(end: string | null): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (this.space(); end === null ? this.at < this.text.length : this.peek() !== end; this.space()) {
      const key = this.peek() === '"' || this.peek() === "'" ? this.quoted() : this.bare();
      if (!key) this.fail("a rule id is missing");
      this.space();
      if (this.peek() !== ":") this.fail(`expected ":" after "${key}"`);
      this.at++;
      Object.defineProperty(object, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      if (this.peek() === ",") this.at++;
      else if (end === null ? this.at < this.text.length : this.peek() !== end) this.fail(`expected ","${end ? ` or "${end}"` : ""}`);
    }
    if (end !== null && this.peek() !== end) this.fail(`"${end}" is missing`);
    return object;
  }

  private quoted(): string {
    const quote = this.text[this.at++]!;
    let out = "";
    while (this.at < this.text.length && this.text[this.at] !== quote) {
      if (this.text[this.at] === "\\" && this.at + 1 < this.text.length) this.at++;
      out += this.text[this.at++];
    }
    if (this.at >= this.text.length) this.fail(`the ${quote} quote is not closed`);
    this.at++;
    return out;
  }

  private bare(): string {
    const start = this.at;
    while (this.at < this.text.length && !BARE_END.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at).trim();
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private fail(message: string): never {
    throw new Error(message);
  }
}
