const PLAIN = /^[A-Za-z0-9_-]+$/;

/**
 * A property path as a reader writes it: `keys.partner-x.scopes[1]`, with list positions in brackets and any name
 * that is not plain (a dot, a space) quoted, so `keys["a.b"].name` cannot be mistaken for a deeper path.
 */
export function formatPath(path: string[], document: unknown): string {
  let text = "";
  let node: unknown = document;
  for (const part of path) {
    if (Array.isArray(node)) text += `[${part}]`;
    else if (PLAIN.test(part)) text += text ? `.${part}` : part;
    else text += `[${JSON.stringify(part)}]`;
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  return text;
}
