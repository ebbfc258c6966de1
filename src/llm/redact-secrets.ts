// Keeps credentials out of cassettes, error messages and logs: known secret values and key-shaped strings.

/** Values of environment variables that look like credentials (…KEY, …TOKEN, …SECRET, …PASSWORD). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /KEY|TOKEN|SECRET|PASSWORD|AUTH/i.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value as string);
}

/** Replaces known secret values, bearer tokens and `sk-…` style keys with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[REDACTED]');
  return result
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [REDACTED]')
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, '[REDACTED]')
    .replace(/("(?:authorization|x-api-key|api[-_]?key)"\s*:\s*")[^"]*"/gi, '$1[REDACTED]"');
}
