import { join } from 'node:path';
import { configNamespace, type ConfigOf } from './config-namespace.js';
import { ConfigurationError } from './env.validation.js';

/** Mail delivery and the account flows that send it (verification, password reset, email change). */
export const mailConfig = configNamespace('mail', (env) => {
  const production = env.NODE_ENV === 'production';
  // A reset link written to a file on a server nobody reads is a lost mail; say so at boot instead.
  if (production && env.EMAIL_FLOWS && !env.MAIL_URL) {
    throw new ConfigurationError('Refusing to start: MAIL_URL is required in production while email flows are on (set MAIL_URL=smtp://user:pass@host:587, or EMAIL_FLOWS=off)');
  }
  return {
    /** Unset (development and tests only): mail is written to `outboxDir` as .eml files. */
    url: env.MAIL_URL,
    from: env.MAIL_FROM,
    outboxDir: join(env.MAIL_OUTBOX_DIR),
    appUrl: env.APP_URL.replace(/\/+$/, ''),
    flows: env.EMAIL_FLOWS,
    verification: env.EMAIL_FLOWS ? env.EMAIL_VERIFICATION : ('off' as const),
    passwordResetTtlSeconds: env.PASSWORD_RESET_TTL,
    linkTtlSeconds: env.EMAIL_LINK_TTL,
    /** Off: this instance only queues; another one delivers. */
    worker: env.MAIL_WORKER,
    pollIntervalMs: env.MAIL_POLL_INTERVAL,
    retryBaseMs: env.MAIL_RETRY_BASE,
    retryMaxMs: 3_600_000,
    /** A claimed message is someone else's to retry after this long (the sender crashed mid-send). */
    leaseMs: 120_000,
    /** Socket limits kept well under the lease, so a hung server cannot outlive it. */
    smtpTimeoutMs: 30_000,
    batchSize: 20,
    /** Forgot/resend mails per email address per window, whatever the IP. */
    perEmailLimit: 3,
    perEmailWindowMs: 15 * 60_000,
  };
});

export type MailConfig = ConfigOf<typeof mailConfig>;
