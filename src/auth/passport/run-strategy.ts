import type { Strategy } from 'passport-strategy';

/**
 * Runs one Passport strategy instance on a request and resolves with the principal its validate()
 * returned. This is what passport.authenticate() does inside, minus its lookup by name: Passport
 * keeps strategies in one process-wide registry, so with several Nest apps in one process (two
 * instances in a test, a host embedding Gatehouse twice) the last app registered would answer for
 * all of them. Gatehouse's own guards therefore call their app's instance directly; `AuthGuard('jwt')`
 * and `AuthGuard('local')` still reach the same strategies through the registry.
 */
export function runStrategy<T>(strategy: Strategy, request: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const attempt = Object.create(strategy) as Strategy & {
      success(user: T): void;
      fail(challenge?: unknown): void;
      error(error: unknown): void;
      redirect(): void;
      pass(): void;
    };
    attempt.success = (user) => resolve(user);
    attempt.fail = (challenge) => reject(challenge);
    attempt.error = (error) => reject(error);
    attempt.redirect = () => reject(new Error('unexpected redirect'));
    attempt.pass = () => reject(new Error('strategy passed'));
    attempt.authenticate(request as never, {});
  });
}
