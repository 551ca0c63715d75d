/**
 * Whether a key holding `held` may do `required`. A held scope grants a required one when they are equal; a held `*`
 * grants every scope; a held scope ending in `:*` grants every scope below its stem (`orders:*` grants `orders:read`
 * and `orders:items:write`, not `orders` nor `ordersx:read`). A `*` anywhere else is an ordinary character, and a
 * required scope is always literal: requiring `orders:*` asks for a key that holds `orders:*` (or `*`).
 */
export function scopeGrants(held: string, required: string): boolean {
  if (held === required || held === "*") return true;
  return held.endsWith(":*") && required.startsWith(held.slice(0, -1)) && required.length > held.length - 1;
}

/** The required scopes none of `held` grants, in the order they were asked for. */
export function missingScopes(held: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !held.some((grant) => scopeGrants(grant, scope)));
}
