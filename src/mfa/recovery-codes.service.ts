import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { RecoveryCode } from './recovery-code.entity.js';

export const RECOVERY_CODE_COUNT = 10;
/** Unambiguous lower-case base32 (no i, l, o, u): 32 symbols, so a random byte maps without bias. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 10 symbols = 50 bits each: far beyond online guessing under the lockout. */
const SYMBOLS = 10;

/**
 * Single-use recovery codes. Only an HMAC under a key derived from JWT_SECRET is stored (the codes
 * are random enough that a slow hash adds nothing, and a database leak alone reveals none); a
 * code is used up by the one UPDATE that accepts it.
 */
@Injectable()
export class RecoveryCodes {
  private readonly key: AuthConfig['recoveryCodeKey'];

  constructor(
    @InjectRepository(RecoveryCode) private readonly codes: Repository<RecoveryCode>,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.key = config.recoveryCodeKey;
  }

  /** Replaces all of the user's codes with new ones (the old stop working), returned once in clear. */
  async replaceIn(manager: EntityManager, userId: string): Promise<string[]> {
    const fresh = Array.from({ length: RECOVERY_CODE_COUNT }, () => generateCode());
    await manager.delete(RecoveryCode, { userId });
    await manager.insert(RecoveryCode, fresh.map((code) => ({ userId, codeHash: this.hash(code) })));
    return fresh;
  }

  replace(userId: string): Promise<string[]> {
    return this.codes.manager.transaction((manager) => this.replaceIn(manager, userId));
  }

  /** Uses up the code if it is one of the user's unused ones. */
  consume(userId: string, code: string): Promise<boolean> {
    return this.consumeIn(this.codes.manager, userId, code);
  }

  async consumeIn(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE mfa_recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
       RETURNING id`,
      [userId, this.hash(code)],
    );
    return rows.length === 1;
  }

  async removeIn(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(RecoveryCode, { userId });
  }

  /** Case, spaces and dashes do not matter: people copy these from paper. */
  private hash(code: string): string {
    return createHmac('sha256', this.key).update(code.toLowerCase().replace(/[\s-]/g, '')).digest('base64url');
  }
}

function generateCode(): string {
  const symbols = Array.from(randomBytes(SYMBOLS), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}
