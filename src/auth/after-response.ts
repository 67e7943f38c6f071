import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

/**
 * Work a request starts but does not wait for. The enumeration-safe routes (forgot password,
 * resend verification, email change) answer 202 before looking anything up, so their answer and
 * its timing cannot depend on whether the address has an account. Pending work is awaited at
 * shutdown; a failure is logged, never surfaced (there is no one left to tell).
 */
@Injectable()
export class AfterResponse implements OnModuleDestroy {
  private readonly logger = new Logger(AfterResponse.name);
  private readonly pending = new Set<Promise<void>>();

  run(label: string, work: () => Promise<void>): void {
    const task = (async () => {
      // Let the response go out first.
      await new Promise((resolve) => setImmediate(resolve));
      await work();
    })()
      .catch((error: unknown) => this.logger.warn(`${label} failed: ${error instanceof Error ? error.message : 'non-Error thrown'}`))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves once everything started so far has finished (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.settled();
  }
}
