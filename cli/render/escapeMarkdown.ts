/**
 * Makes text safe inside a Markdown table cell: one line, and no character that would end the cell or start
 * emphasis, a link, code or HTML. Audit items come from the backend's writers, and a report must show them as text.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[\\`*_[\]<>|~]/g, (character) => `\\${character}`);
}
