import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';

/**
 * bcrypt only reads the first 72 bytes of its input, so two long passwords sharing a prefix would
 * hash alike. Every password is first reduced to its SHA-256 (44 base64 characters, no NUL bytes),
 * which keeps every byte significant. This is the only file that imports bcrypt.
 */
function prehash(password: string): string {
  return createHash('sha256').update(password.normalize('NFKC'), 'utf8').digest('base64');
}

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Compared against when the account does not exist, so both failures cost one bcrypt. */
  private dummyHash: Promise<string>;

  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  onModuleInit(): void {
    this.dummyHash = this.hash('gatehouse-timing-equaliser');
  }

  /** Asynchronous bcrypt: the hashing runs on libuv's pool, not on the event loop. */
  hash(password: string): Promise<string> {
    return bcrypt.hash(prehash(password), this.config.bcryptCost);
  }

  /** `hash` undefined means "no such account": the dummy is checked so timing does not tell. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const matches = await bcrypt.compare(prehash(password), hash ?? (await this.dummyHash));
    return matches && hash !== undefined;
  }

  /** True when the hash was made with a lower cost than configured now (re-hash on next login). */
  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) < this.config.bcryptCost;
  }
}
