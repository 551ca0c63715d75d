import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * The 1-based line of the node at `path` in a parsed YAML document: of the mapping key when `key` is set, else of the
 * value. Where the path runs out (a missing property), the deepest node found stands in, so a line is always given.
 */
export function lineOf(document: Document, lineCounter: LineCounter, path: string[], key = false): number {
  let node: unknown = document.contents;
  let found: Node | undefined = isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
  for (const [index, part] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === part);
      if (!pair) break;
      const keyNode = isScalar(pair.key) ? pair.key : undefined;
      if (last && key && keyNode) return line(lineCounter, keyNode);
      // An empty value (`owner:`) has no node of its own; its key stands in.
      node = pair.value;
      found = (pair.value as Node | null) ?? keyNode ?? found;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) break;
      node = item;
      found = (item as Node) ?? found;
    } else {
      break;
    }
  }
  return found ? line(lineCounter, found) : 1;
}

function line(lineCounter: LineCounter, node: Node): number {
  return node.range ? lineCounter.linePos(node.range[0]).line : 1;
}
