/** `approvalSource` → `approval_source`: --json keys are snake_case everywhere. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/**
 * The same value with every object key in snake_case, deeply. Only for records whose keys are field names (settings,
 * project facts), never for maps keyed by data (file paths, profile or model names), which must keep their keys.
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), snakeKeys(v)]))
}
