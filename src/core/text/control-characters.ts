/**
 * C0 and C1 controls and DEL (Unicode category Cc): no field Gatehouse accepts has a use for
 * them. NUL in particular is refused by PostgreSQL's text type (a 500), ESC starts terminal escape
 * sequences in anyone's log viewer, and CR/LF forge log lines.
 */
const CONTROL = /\p{Cc}/u;

/** Nesting bound for the walk; JSON bodies are already refused deeper than this (json-only.ts). */
const MAX_WALK_DEPTH = 64;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/**
 * The path of the first string (value or key) inside `value` that holds a control character, or
 * undefined. Iterative, so no input can exhaust the stack.
 */
export function findControlCharacter(value: unknown, root: string): string | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (CONTROL.test(current)) return path;
    } else if (current !== null && typeof current === 'object' && depth < MAX_WALK_DEPTH) {
      for (const [key, child] of Object.entries(current)) {
        if (CONTROL.test(key)) return path;
        pending.push({ value: child, path: Array.isArray(current) ? `${path}[${key}]` : `${path}.${key}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
