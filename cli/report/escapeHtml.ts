const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Makes text safe as HTML text and as a quoted attribute value: every character that could end either or start
 * markup becomes an entity. Names, owners and reasons come from whoever declared or changed a key; a report shows
 * them as text, whatever they hold.
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (character) => ENTITIES[character]);
}
