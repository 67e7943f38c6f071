export interface RetryUntil<T> {
  /** Named in the progress line: "PostgreSQL at db:5432/gatehouse". */
  what: string;
  timeoutMs: number;
  attempt: () => Promise<T>;
  retryable: (error: unknown) => boolean;
  giveUp: (reason: string) => Error;
}

/**
 * Retries `attempt` while it fails in a retryable way, for at most `timeoutMs`, writing one line
 * to stderr when it starts waiting and every ~10 s after. Written straight to stderr because the
 * application logger is not attached until start-up has finished, and an operator watching a
 * server that does not come up needs to see why now.
 */
export async function retryUntil<T>({ what, timeoutMs, attempt, retryable, giveUp }: RetryUntil<T>): Promise<T> {
  const started = Date.now();
  let lastSaid = 0;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error)) throw error;
      const reason = reasonOf(error);
      const elapsed = Date.now() - started;
      if (elapsed + delay > timeoutMs) throw giveUp(reason);
      if (lastSaid === 0 || Date.now() - lastSaid >= 10_000) {
        lastSaid = Date.now();
        process.stderr.write(`${what} is not reachable (${reason}); retrying for up to ${Math.round((timeoutMs - elapsed) / 1000)}s more\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A short reason: the error code, or the first line of the message. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (typeof code === 'string' && /^[A-Z]+$/.test(code)) return message && !message.includes(code) ? `${code}: ${message}` : code;
  return message || 'unknown error';
}
