/** The parts of a DynamoDB UpdateExpression built from a map of field values. */
export interface UpdateParts {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * Builds `SET a = :a, ... REMOVE b` from `fields`: `undefined` skips a field, `null` removes it.
 * `extra` adds raw SET clauses (such as a version bump) whose names and values the caller supplies.
 */
export function updateExpression(fields: Record<string, unknown>, extra: UpdateParts = { expression: "", names: {}, values: {} }): UpdateParts {
  const sets = extra.expression ? [extra.expression] : [];
  const removes: string[] = [];
  const names = { ...extra.names };
  const values = { ...extra.values };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) {
      removes.push(`#${field}`);
    } else {
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
  }
  const expression = [sets.length ? `SET ${sets.join(", ")}` : "", removes.length ? `REMOVE ${removes.join(", ")}` : ""].filter(Boolean).join(" ");
  return { expression, names, values };
}

/** What {@link updateExpression}'s SET and REMOVE of `fields` do to an item, done to `item` in memory. */
export function applyFields<T extends Record<string, unknown>>(item: T, fields: Record<string, unknown>): T {
  const result: Record<string, unknown> = { ...item };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value === null) delete result[field];
    else result[field] = value;
  }
  return result as T;
}
