/**
 * A doc page (docs/rules/<id>.md) rendered for a terminal: `migration-lint explain`. marked's lexer reads the
 * Markdown (GitHub's dialect: tables, fenced code); this file turns its tokens into text, with colour when the
 * terminal takes it. HTML (the pages' `<!-- history ... -->` comments, which the docs tests read) is left out.
 * marked-terminal was measured and not taken: importing it took 0.84 to 1.1 s (it loads highlight.js with every
 * language), marked alone 21 to 46 ms (node 20, 2 shared cores). Only `explain` loads this file.
 */
import { Chalk } from "chalk";
import { marked, type Token, type Tokens } from "marked";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

type Paint = InstanceType<typeof Chalk>;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const decode = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);
const widthOf = (text: string): number => stripVTControlCharacters(text).length;

/** `markdown` as terminal text; `color` false gives plain text (no escape sequences). */
export function renderMarkdown(markdown: string, color: boolean): string {
  const paint = new Chalk({ level: color ? 1 : 0 });
  const blocks = renderBlocks(marked.lexer(markdown), paint, color);
  return `${blocks.join("\n\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

function renderBlocks(tokens: Token[], paint: Paint, color: boolean): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const block = renderBlock(token, paint, color);
    if (block !== null) out.push(block);
  }
  return out;
}

function renderBlock(token: Token, paint: Paint, color: boolean): string | null {
  switch (token.type) {
    case "heading": {
      const { depth, tokens } = token as Tokens.Heading;
      const text = inline(tokens, paint, color);
      if (color) return depth === 1 ? paint.bold.underline(text) : paint.bold(text);
      // plain: setext underlines for the two top levels, as a reader of plain text expects
      return depth <= 2 ? `${text}\n${(depth === 1 ? "=" : "-").repeat(widthOf(text))}` : text;
    }
    case "paragraph":
      return inline((token as Tokens.Paragraph).tokens, paint, color);
    case "text":
      return (token as Tokens.Text).tokens ? inline((token as Tokens.Text).tokens!, paint, color) : decode((token as Tokens.Text).text);
    case "code": {
      const lines = (token as Tokens.Code).text.split("\n").map((line) => `    ${line}`.trimEnd());
      return color ? lines.map((line) => paint.cyan(line)).join("\n") : lines.join("\n");
    }
    case "list":
      return renderList(token as Tokens.List, paint, color);
    case "table":
      return renderTable(token as Tokens.Table, paint, color);
    case "blockquote":
      return renderBlocks((token as Tokens.Blockquote).tokens, paint, color).join("\n\n").split("\n").map((line) => `${paint.dim("│")} ${line}`).join("\n");
    case "hr":
      return paint.dim("─".repeat(40));
    case "html":
    case "space":
    case "def":
      return null;
    default:
      return "text" in token && typeof token.text === "string" ? decode(token.text) : null;
  }
}

function renderList(list: Tokens.List, paint: Paint, color: boolean): string {
  const start = typeof list.start === "number" ? list.start : 1;
  return list.items
    .map((item, i) => {
      const marker = list.ordered ? `${start + i}.` : "•";
      const body = renderBlocks(item.tokens, paint, color).join(item.loose ? "\n\n" : "\n");
      const [first = "", ...rest] = body.split("\n");
      const pad = " ".repeat(marker.length + 3);
      return [`  ${marker} ${first}`, ...rest.map((line) => (line ? pad + line : line))].join("\n");
    })
    .join(list.loose ? "\n\n" : "\n");
}

function renderTable(table: Tokens.Table, paint: Paint, color: boolean): string {
  const header = table.header.map((cell) => inline(cell.tokens, paint, color));
  const rows = table.rows.map((row) => row.map((cell) => inline(cell.tokens, paint, color)));
  // a table with an empty header row (`| | |`, the pages' fact boxes) shows its rows only
  const showHeader = header.some((cell) => widthOf(cell) > 0);
  const all = showHeader ? [header, ...rows] : rows;
  const widths = header.map((_, column) => Math.max(...all.map((row) => widthOf(row[column] ?? ""))));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => cell + " ".repeat(widths[column]! - widthOf(cell))).join("   ")}`.trimEnd();
  const lines = rows.map(line);
  if (showHeader) lines.unshift(line(header.map((cell) => paint.bold(cell))), `  ${widths.map((w) => "─".repeat(w)).join("   ")}`);
  return lines.join("\n");
}

function inline(tokens: Token[], paint: Paint, color: boolean): string {
  return tokens.map((token) => inlineToken(token, paint, color)).join("");
}

function inlineToken(token: Token, paint: Paint, color: boolean): string {
  switch (token.type) {
    case "strong":
      return paint.bold(inline((token as Tokens.Strong).tokens, paint, color));
    case "em":
      return paint.italic(inline((token as Tokens.Em).tokens, paint, color));
    case "del":
      return paint.strikethrough(inline((token as Tokens.Del).tokens, paint, color));
    case "codespan": {
      const text = decode((token as Tokens.Codespan).text);
      return color ? paint.cyan(text) : `\`${text}\``;
    }
    case "link": {
      const link = token as Tokens.Link;
      const text = inline(link.tokens, paint, color);
      // another rule's page: the command that shows it; elsewhere the address
      const page = /^(?:\.\/)?([a-z0-9-]+)\.md$/.exec(link.href)?.[1];
      // a page of docs/ (the links are relative to docs/rules/): its path in the package
      const doc = /^[a-z]+:|^#/.test(link.href) ? null : path.posix.normalize(`docs/rules/${link.href}`);
      const target = page ? `migration-lint explain ${page}` : doc ?? link.href;
      return stripVTControlCharacters(text) === target ? text : `${text} (${paint.underline(target)})`;
    }
    case "br":
      return "\n";
    case "html":
      return "";
    case "text":
    case "escape":
      return "tokens" in token && Array.isArray(token.tokens) ? inline(token.tokens, paint, color) : decode((token as Tokens.Text).text);
    default:
      return "text" in token && typeof token.text === "string" ? decode(token.text) : "";
  }
}
