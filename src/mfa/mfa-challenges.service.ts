import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MfaChallenge, type MfaTransport } from './mfa-challenge.entity.js';

/** Long enough to open an authenticator app, short enough that a leaked token is soon worthless. */
export const MFA_CHALLENGE_TTL_SECONDS = 5 * 60;

export interface PendingSignIn {
  id: string;
  userId: string;
  transport: MfaTransport;
  securityStamp: number;
}

/**
 * The `mfaToken` a correct password earns on an account with MFA: 256 random bits given to the
 * client, only their SHA-256 stored (a database reader cannot finish anyone's sign-in). It is
 * good for MFA_CHALLENGE_TTL_SECONDS and for one completed sign-in.
 */
@Injectable()
export class MfaChallenges {
  private readonly logger = new Logger(MfaChallenges.name);

  constructor(@InjectRepository(MfaChallenge) private readonly challenges: Repository<MfaChallenge>) {}

  async issue(userId: string, transport: MfaTransport, securityStamp: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.challenges.insert({
      tokenHash: hashOf(token),
      userId,
      transport,
      securityStamp,
      expiresAt: () => `now() + make_interval(secs => ${MFA_CHALLENGE_TTL_SECONDS})`,
    } as never);
    return token;
  }

  /** The unexpired, unused sign-in the token belongs to, if any (nothing is used up yet). */
  async find(token: string): Promise<PendingSignIn | null> {
    const [row]: Array<{ id: string; user_id: string; transport: MfaTransport; security_stamp: number }> = await this.challenges.query(
      `SELECT id, user_id, transport, security_stamp FROM mfa_challenges
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [hashOf(token)],
    );
    return row ? { id: row.id, userId: row.user_id, transport: row.transport, securityStamp: row.security_stamp } : null;
  }

  /** Marks the challenge used; of concurrent callers exactly one gets true. */
  async consume(id: string): Promise<boolean> {
    const [rows]: [Array<{ id: string }>, number] = await this.challenges.query(
      `UPDATE mfa_challenges SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING id`,
      [id],
    );
    return rows.length === 1;
  }

  @Interval('mfa-challenge-sweep', 10 * 60_000)
  async deleteExpired(): Promise<void> {
    await this.challenges
      .query(`DELETE FROM mfa_challenges WHERE expires_at < now() - interval '1 hour'`)
      .catch((error: unknown) => this.logger.warn(`MFA challenge sweep failed: ${String(error)}`));
  }
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
