/**
 * The texts of the files a lint read, by absolute path (`LintRun.sources`), for formatters that show source lines.
 * A Map whose entries may be read later: a migration the cache answers for is not read during the lint, and its
 * text is read when a formatter asks for it (`get`), which most do only for files with findings. `has` and `keys`
 * name every file without reading any (the CLI refuses to write a report over one); what iterates the values
 * (`entries`, `values`, `forEach`, spreading, `size`) reads them all first, so the Map behaves as one filled up front.
 */
export class SourceTexts extends Map<string, string> {
  private readonly later = new Map<string, (() => string | undefined) | { readonly text: string | null }>();

  /**
   * `read` gives the file's text when it is first asked for (undefined: no text to show), or is what holds it, read
   * when asked for (a migration's source: no function made for each of a history's migrations every run).
   */
  setLater(file: string, read: (() => string | undefined) | { readonly text: string | null }): void {
    super.delete(file);
    this.later.set(file, read);
  }

  private settle(file: string): void {
    const read = this.later.get(file);
    if (!read) return;
    this.later.delete(file);
    const text = typeof read === "function" ? read() : read.text ?? undefined;
    if (text !== undefined) super.set(file, text);
  }

  private settleAll(): void {
    for (const file of [...this.later.keys()]) this.settle(file);
  }

  /** What another thread needs: the texts read so far and those of the `wanted` files; the rest by name, to be read there. */
  forTransfer(wanted: (file: string) => boolean): SourceTextsTransfer {
    for (const file of [...this.later.keys()]) if (wanted(file)) this.settle(file);
    return { texts: [...super.entries()], unread: [...this.later.keys()] };
  }

  /** The texts `forTransfer` sent; `read` reads one of the others when it is asked for. */
  static received(transfer: SourceTextsTransfer, read: (file: string) => string | undefined): SourceTexts {
    const texts = new SourceTexts();
    for (const [file, text] of transfer.texts) texts.set(file, text);
    for (const file of transfer.unread) texts.setLater(file, () => read(file));
    return texts;
  }

  override get(file: string): string | undefined {
    this.settle(file);
    return super.get(file);
  }

  override has(file: string): boolean {
    return this.later.has(file) || super.has(file);
  }

  override set(file: string, text: string): this {
    this.later?.delete(file);
    return super.set(file, text);
  }

  override delete(file: string): boolean {
    const deferred = this.later.delete(file);
    return super.delete(file) || deferred;
  }

  override clear(): void {
    this.later.clear();
    super.clear();
  }

  override get size(): number {
    this.settleAll();
    return super.size;
  }

  override *keys(): MapIterator<string> {
    yield* super.keys();
    yield* [...this.later.keys()];
  }

  override entries(): MapIterator<[string, string]> {
    this.settleAll();
    return super.entries();
  }

  override values(): MapIterator<string> {
    this.settleAll();
    return super.values();
  }

  override forEach(callback: (value: string, key: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    this.settleAll();
    super.forEach(callback, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}

export interface SourceTextsTransfer {
  texts: Array<[string, string]>;
  unread: string[];
}
