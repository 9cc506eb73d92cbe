/** The registry to ask: PARECODE_UPDATE_REGISTRY, else npm's own setting when run through npm, else npmjs. */
export function registryUrl(env: Record<string, string | undefined>): string {
  const url = env.PARECODE_UPDATE_REGISTRY || env.npm_config_registry || 'https://registry.npmjs.org/'
  return url.endsWith('/') ? url : `${url}/`
}

/**
 * The `latest` dist-tag of a package, or undefined on any failure (offline, 404, a slow or odd answer).
 * Only a version string is kept from the answer.
 */
export async function fetchLatest(registry: string, name: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const res = await fetch(new URL(`${name.replace('/', '%2f')}/latest`, registry), {
      headers: {accept: 'application/json'},
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!res.ok) return undefined
    const text = await res.text()
    if (text.length > 1 << 20) return undefined
    const version = (JSON.parse(text) as {version?: unknown}).version
    return typeof version === 'string' && /^\d{1,9}\.\d{1,9}\.\d{1,9}$/.test(version) ? version : undefined
  } catch {
    return undefined
  }
}
