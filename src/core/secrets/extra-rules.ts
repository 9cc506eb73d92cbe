// Shapes the secretlint recommended preset misses (measured on secretlint 12.0.0). Its rules want exact
// lengths (ghp_ + 36, npm_ + 36, hf_ + 34, AKIA + 16 at a word boundary), so a token of another length, as
// providers change formats, passes; the prefix rules below take any length from a floor. Also: `sk-` API keys without
// OpenAI's T3BlbkFJ marker (project keys, OpenRouter `sk-or-v1-`, most OpenAI-compatible providers), Stripe
// secret keys, Google API keys, JWTs, private-key blocks whose newlines are escaped (inside JSON) or cut off
// (truncated tool output), and secret-named assignments in .env / JSON / YAML. Each is specific enough to
// be rare in ordinary code; a false positive costs a redacted word or a push that needs --allow-secrets.

export interface ExtraRule {
  rule: string
  pattern: RegExp
  /** Report only this capture group (the value, not the name it is assigned to). */
  group?: number
  /** Extra check on the reported text. */
  accept?: (value: string) => boolean
}

const NAMES = '(?:api[_-]?key|apikey|secret|secret[_-]?key|client[_-]?secret|token|auth[_-]?token|access[_-]?token|refresh[_-]?token|password|passwd|access[_-]?key|private[_-]?key|credentials?)'
// The name ends in the secret word, or has at most two short words after it (SECRET_KEY_BASE), so
// TOKENIZER_PATH and MAX_TOKENS are not secrets. PWD is the working directory, not a password.
const ENV_NAMES = '(?:API_?KEY|SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(?:_[A-Z0-9]+){0,2}'
const PEM_END = '-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----'

// A value looks like a credential when it mixes letters and digits (not `changeme`, not `process.env.X`).
const mixed = (v: string) => /[A-Za-z]/.test(v) && /[0-9]/.test(v)

// `sk-` is also a CSS prefix (SpinKit's sk-spinner-double-bounce): a key has a digit or one long random run.
const skKey = (v: string) => {
  const body = v.slice(3)
  return (/[0-9]/.test(body) && /[A-Za-z]/.test(body)) || body.split(/[-_]/).some((s) => s.length >= 20)
}

export const EXTRA_RULES: ExtraRule[] = [
  {rule: 'sk-api-key', pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, accept: skKey},
  {rule: 'github', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9_]{30,}|github_pat_[A-Za-z0-9_]{30,})/g},
  {rule: 'npm', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{30,}/g},
  {rule: 'huggingface', pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}/g},
  {rule: 'slack', pattern: /(?<![A-Za-z0-9_])xox[abposr]-[A-Za-z0-9-]{10,}/g},
  {rule: 'aws', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16,}/g, accept: (v) => !v.includes('EXAMPLE')},
  {rule: 'stripe', pattern: /(?<![A-Za-z0-9_])[rs]k_(?:live|test)_[0-9A-Za-z]{16,}/g},
  {rule: 'gcp-api-key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g},
  {rule: 'jwt', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g},
  {
    rule: 'privatekey',
    // Body: base64, PEM headers (Proc-Type, DEK-Info) and escaped newlines, up to the END line or wherever the text stops.
    pattern: new RegExp(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=:,. \\t\\r\\n\\\\-](?!----END))*(?:${PEM_END})?`, 'g'),
  },
  {
    rule: 'env-secret',
    // FOO_API_KEY=value, export DB_PASSWORD="value" (upper-case names: .env files, shell, CI settings).
    pattern: new RegExp(`(?<![A-Za-z0-9_])[A-Z0-9_]*${ENV_NAMES}\\s*[=:]\\s*["']?([A-Za-z0-9_\\-+/.=~]{12,})`, 'g'),
    group: 1,
    accept: mixed,
  },
  {
    rule: 'secret-field',
    // "api_key": "value", password: 'value' (JSON, YAML, TOML keys whose name ends in a secret word; the value quoted).
    pattern: new RegExp(`(?<![A-Za-z0-9_])["']?[A-Za-z0-9_.-]*?${NAMES}["']?\\s*[:=]\\s*["']([^"'\\s]{12,})["']`, 'gi'),
    group: 1,
    accept: mixed,
  },
]
