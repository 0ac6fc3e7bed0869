/**
 * The columns a WHERE clause (a sqlparser-rs expression) pins to constants: `col = 'x'`, `col IN (1, 2)`, in a
 * top-level AND (any conjunct) or OR (every disjunct, the columns they share). unbatched-backfill asks whether a
 * data change touches a few rows named by key or a range of rows; the operation carries the answer
 * (`data-change.keyFilter`), so the rule needs no syntax tree.
 */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const columnOf = (e: Node | undefined): string | null => e?.Identifier?.value ?? (Array.isArray(e?.CompoundIdentifier) ? e.CompoundIdentifier.at(-1)?.value ?? null : null);
/** A literal, or a double-quoted name on the right-hand side (SQLite reads "x" as a string where no column is named x). */
const isConstant = (e: Node | undefined): boolean => !!e && (!!e.Value || (e.Identifier?.quote_style === '"') || (!!e.UnaryOp && isConstant(e.UnaryOp.expr)) || (!!e.Nested && isConstant(e.Nested)));

export function keyFilter(where: Node | null | undefined): string[] {
  if (!where) return [];
  if (where.Nested) return keyFilter(where.Nested);
  const op = where.BinaryOp;
  if (op?.op === "And") return [...new Set([...keyFilter(op.left), ...keyFilter(op.right)])];
  if (op?.op === "Or") {
    const right = new Set(keyFilter(op.right));
    return keyFilter(op.left).filter((c) => right.has(c));
  }
  if (op?.op === "Eq") {
    const [column, value] = columnOf(op.left) !== null ? [columnOf(op.left), op.right] : [columnOf(op.right), op.left];
    return column !== null && isConstant(value) ? [column] : [];
  }
  const list = where.InList;
  if (list && !list.negated && (list.list ?? []).every(isConstant)) {
    const column = columnOf(list.expr);
    return column !== null ? [column] : [];
  }
  return [];
}
