// Fake secrets, assembled at run time so no key-shaped literal is ever committed (and no scanner flags this repo).
const cat = (...parts: string[]) => parts.join('')

export const fake = {
  /** AWS access key id shape: AKIA + 16 upper-case letters/digits. */
  awsId: () => cat('AK', 'IA', 'Q7ZP', 'X3MB', 'N5TR', 'W2YK'),
  /** AWS secret access key (40 chars) as it appears in a credentials or .env file. */
  awsSecretLine: () => cat('AWS_SECRET', '_ACCESS_KEY=', 'q9Zt/', 'Lr8VbN2xKc', '4WmP7sHd1Fj', '6Gy3Ua+Ee5Rk0T'),
  github: () => cat('gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6q7R8s9T0'),
  openai: () => cat('sk-', 'proj-', 'A'.repeat(48)),
  openaiPlain: () => cat('sk', '-', 'b'.repeat(40)),
  pem: () => cat('-----BEGIN ', 'RSA PRIVATE', ' KEY-----\n', 'MIIEow', 'IBAAKCAQEAq1w2e3r4'.repeat(4), '\n', 'Zm9vYmFy'.repeat(8), '\n-----END ', 'RSA PRIVATE', ' KEY-----\n'),
}

/** Every fake, for checks that none of them survives anywhere. */
export const allFakes = () => [fake.awsId(), fake.awsSecretLine().split('=')[1]!, fake.github(), fake.openai(), fake.openaiPlain(), 'IBAAKCAQEAq1w2e3r4', 'Zm9vYmFy'.repeat(8)]

/** Longest run of `secret` (at least 8 characters) that appears in `text`, for "not even a prefix" checks. */
export function leaked(text: string, secrets = allFakes()): string | null {
  for (const s of secrets) for (let i = 0; i + 8 <= s.length; i += 4) if (text.includes(s.slice(i, i + 8))) return s.slice(i, i + 8)
  return null
}
