import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Secret, TOTP } from 'otpauth';
import { type EntityManager, IsNull, Not, Repository } from 'typeorm';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { open, seal } from '../core/crypto/key-encryption.js';
import { AppError } from '../core/http/app-error.js';
import { TotpCredential } from './totp-credential.entity.js';

/** What every authenticator app expects (RFC 6238 defaults); changing any of them breaks enrolled apps. */
const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
/** One step either side: a phone clock 30 s off still works; no wider, each step is a guess more. */
const DRIFT_STEPS = 1;
/** 160 bits, the HMAC-SHA1 block the RFC recommends. */
const SECRET_BYTES = 20;

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

/**
 * TOTP authenticators: the secret sealed at rest, codes checked with otpauth, and the replay
 * rule decided by the database: a code counts only if its time step is strictly later than the
 * last accepted one, in the same UPDATE that records it (two requests with one code: one wins).
 */
@Injectable()
export class TotpCredentials {
  private readonly key: AuthConfig['totpSecretKey'];
  private readonly issuer: string;

  constructor(
    @InjectRepository(TotpCredential) private readonly credentials: Repository<TotpCredential>,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.key = config.totpSecretKey;
    this.issuer = config.mfaIssuer;
  }

  /** Starts (or restarts) enrolment with a new secret, inactive until enable(); 409 once enabled. */
  async beginSetup(userId: string, accountName: string): Promise<TotpSetup> {
    const secret = new Secret({ size: SECRET_BYTES });
    const sealed = seal(Buffer.from(secret.base32, 'utf8'), this.key, associatedData(userId));
    const rows: Array<{ user_id: string }> = await this.credentials.query(
      `INSERT INTO mfa_totp (user_id, secret_sealed) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, last_used_step = NULL, created_at = now()
        WHERE mfa_totp.enabled_at IS NULL
       RETURNING user_id`,
      [userId, sealed],
    );
    if (rows.length === 0) throw new AppError('MFA_ALREADY_ENABLED', 'Two-factor authentication is already enabled');
    return { secret: secret.base32, otpauthUrl: this.totp(secret, accountName).toString() };
  }

  /**
   * Activates a pending authenticator with a valid code, inside the caller's transaction (with
   * the recovery codes and the end of other sessions); false for a wrong code or nothing pending.
   */
  async enableIn(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const step = await this.matchingStep(manager, userId, code, 'pending');
    if (step === null) return false;
    return this.acceptStep(manager, userId, step, `enabled_at IS NULL`, `, enabled_at = now()`);
  }

  /** Checks a code of an enabled authenticator and uses it up: the same code never passes twice. */
  verify(userId: string, code: string): Promise<boolean> {
    return this.verifyIn(this.credentials.manager, userId, code);
  }

  async verifyIn(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const step = await this.matchingStep(manager, userId, code, 'enabled');
    if (step === null) return false;
    return this.acceptStep(manager, userId, step, `enabled_at IS NOT NULL`);
  }

  async state(userId: string): Promise<'none' | 'pending' | 'enabled'> {
    const row = await this.credentials.findOne({ where: { userId }, select: { userId: true, enabledAt: true } });
    return !row ? 'none' : row.enabledAt === null ? 'pending' : 'enabled';
  }

  /**
   * Asked on every sign-in and refresh. Plain SQL: Repository.exists() builds the same query
   * through the query builder each time, the largest single piece of a login's event-loop time
   * after the system calls (see the README's Performance section).
   */
  async isEnabled(userId: string): Promise<boolean> {
    const [row]: Array<{ enabled: boolean }> = await this.credentials.query(
      'SELECT EXISTS (SELECT 1 FROM mfa_totp WHERE user_id = $1 AND enabled_at IS NOT NULL) AS enabled',
      [userId],
    );
    return row.enabled;
  }

  /** Removes the authenticator (disable), inside the caller's transaction. */
  async removeIn(manager: EntityManager, userId: string): Promise<boolean> {
    const result = await manager.delete(TotpCredential, { userId, enabledAt: notNull() });
    return (result.affected ?? 0) > 0;
  }

  private async matchingStep(manager: EntityManager, userId: string, code: string, state: 'pending' | 'enabled'): Promise<number | null> {
    const row = await manager
      .createQueryBuilder(TotpCredential, 'totp')
      .addSelect('totp.secretSealed')
      .where('totp.userId = :userId', { userId })
      .getOne();
    if (!row?.secretSealed || (row.enabledAt !== null) !== (state === 'enabled')) return null;
    const secret = Secret.fromBase32(open(row.secretSealed, this.key, associatedData(userId)).toString('utf8'));
    const timestamp = Date.now();
    // otpauth compares in constant time.
    const delta = this.totp(secret, '').validate({ token: code, timestamp, window: DRIFT_STEPS });
    return delta === null ? null : TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
  }

  private async acceptStep(manager: EntityManager, userId: string, step: number, state: string, alsoSet = ''): Promise<boolean> {
    const [rows]: [Array<{ user_id: string }>, number] = await manager.query(
      `UPDATE mfa_totp SET last_used_step = $2${alsoSet}
        WHERE user_id = $1 AND ${state} AND (last_used_step IS NULL OR last_used_step < $2)
       RETURNING user_id`,
      [userId, step],
    );
    return rows.length === 1;
  }

  private totp(secret: Secret, label: string): TOTP {
    return new TOTP({ issuer: this.issuer, label, secret, algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS });
  }
}

/** Binds a sealed secret to its row: copied onto another account, it does not open. */
const associatedData = (userId: string) => `mfa_totp:${userId}`;

const notNull = () => Not(IsNull());
