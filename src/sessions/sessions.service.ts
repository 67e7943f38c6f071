import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { parseAmr, type AuthMethod } from '../access/auth-user.js';
import { RevocationList, type RevocationEvent } from './revocation-list.js';
import { Session } from './session.entity.js';
import { AppError } from '../core/http/app-error.js';

export type RevocationReason =
  | 'logout' | 'logout_all' | 'revoked_by_user' | 'password_change' | 'password_reset' | 'mfa_change'
  | 'disabled' | 'admin' | 'refresh_token_reuse' | 'role_change' | 'email_change';

/** The state of a session after a refresh attempt, with what is needed to issue tokens. */
export type RotationResult =
  | { outcome: 'rotated' | 'grace'; sessionId: string; userId: string; counter: number; amr: AuthMethod[] }
  | { outcome: 'reused'; userId: string }
  | { outcome: 'invalid' };

interface SessionRow {
  user_id: string;
  refresh_counter: number;
  amr: string;
  within_grace: boolean;
  usable: boolean;
}

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly revocation: RevocationList,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * Advances the session's refresh counter from `counter` in one statement: of any number of
   * concurrent callers exactly one succeeds, and nothing is read and then written. The others,
   * and later callers, learn whether their token is the one just replaced (within the reuse
   * interval: the same successor is handed out again) or an older one (reuse).
   */
  async rotate(sessionId: string, counter: number): Promise<RotationResult> {
    // No look at the account here: disabling it ends its sessions in the same transaction, and a
    // session is only ever created while the account is enabled (AUTH_ACCOUNT_CHANGED otherwise).
    // TypeORM answers an UPDATE with [rows, affected].
    const [[rotated]]: [Array<{ user_id: string; refresh_counter: number; amr: string }>, number] = await this.sessions.query(
      `UPDATE sessions
          SET refresh_counter = refresh_counter + 1, rotated_at = now(), last_used_at = now()
        WHERE id = $1 AND refresh_counter = $2 AND kind = 'token'
          AND revoked_at IS NULL AND expires_at > now()
    RETURNING user_id, refresh_counter, amr`,
      [sessionId, counter],
    );
    if (rotated) return { outcome: 'rotated', sessionId, userId: rotated.user_id, counter: rotated.refresh_counter, amr: amrOf(rotated.amr) };

    const [row]: SessionRow[] = await this.sessions.query(
      `SELECT user_id, refresh_counter, amr,
              rotated_at > now() - make_interval(secs => $2) AS within_grace,
              revoked_at IS NULL AND expires_at > now() AS usable
         FROM sessions
        WHERE id = $1 AND kind = 'token'`,
      [sessionId, this.config.refreshReuseIntervalSeconds],
    );
    if (!row || !row.usable || counter > row.refresh_counter) return { outcome: 'invalid' };
    if (counter === row.refresh_counter - 1 && row.within_grace) {
      return { outcome: 'grace', sessionId, userId: row.user_id, counter: row.refresh_counter, amr: amrOf(row.amr) };
    }
    // An already-replaced token came back after the interval: it may have been stolen.
    this.logger.warn(`Refresh token reuse on session ${sessionId}; the session is revoked`);
    await this.revocation.commit(async (manager, publish) => publish(await this.revokeIn(manager, 'id = $1', [sessionId], 'refresh_token_reuse')));
    return { outcome: 'reused', userId: row.user_id };
  }

  /** Records activity on a session (cookie sessions, at most once a minute). */
  async touch(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId }, { lastUsedAt: () => 'now()' } as never);
  }

  /** True while the session is neither revoked nor expired (the Redis payload's check). */
  async isLive(sessionId: string): Promise<boolean> {
    const rows: unknown[] = await this.sessions.query(
      'SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()',
      [sessionId],
    );
    return rows.length > 0;
  }

  /** The user's live sessions, newest first. */
  listActive(userId: string): Promise<Session[]> {
    return this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
  }

  /** Ends one of the user's sessions; another user's (or an ended) session is "not found". */
  async revoke(userId: string, sessionId: string, reason: RevocationReason): Promise<void> {
    const revoked = await this.revocation.commit(async (manager, publish) => {
      const event = await this.revokeIn(manager, 'id = $1 AND user_id = $2', [sessionId, userId], reason);
      publish(event);
      return event !== null;
    });
    if (!revoked) throw new AppError('SESSION_NOT_FOUND', 'Session not found');
  }

  /** Ends a session by id alone (the cookie-session store's destroy); no-op when already ended. */
  async end(sessionId: string, reason: RevocationReason): Promise<void> {
    await this.revocation.commit(async (manager, publish) => publish(await this.revokeIn(manager, 'id = $1', [sessionId], reason)));
  }

  /** Ends every session of the user (but `exceptSessionId`), at once on every instance. */
  async revokeAll(userId: string, reason: RevocationReason, exceptSessionId?: string): Promise<void> {
    await this.revocation.commit(async (manager, publish) => publish(await this.revokeAllIn(manager, userId, reason, exceptSessionId)));
  }

  /** For callers composing a larger transaction through RevocationList.commit. */
  revokeAllIn(manager: EntityManager, userId: string, reason: RevocationReason, exceptSessionId?: string): Promise<RevocationEvent | null> {
    return exceptSessionId
      ? this.revokeIn(manager, 'user_id = $1 AND id <> $2', [userId, exceptSessionId], reason)
      : this.revokeIn(manager, 'user_id = $1', [userId], reason);
  }

  /** A cookie session keeps its role in its payload, so a role change ends it (sign in again). */
  revokeCookieSessionsIn(manager: EntityManager, userId: string): Promise<RevocationEvent | null> {
    return this.revokeIn(manager, "user_id = $1 AND kind = 'cookie'", [userId], 'role_change');
  }

  private async revokeIn(manager: EntityManager, where: string, params: unknown[], reason: RevocationReason): Promise<RevocationEvent | null> {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $${params.length + 1}
        WHERE ${where} AND revoked_at IS NULL RETURNING id`,
      [...params, reason],
    );
    return rows.length > 0 ? { type: 'sessions', ids: rows.map((row) => row.id) } : null;
  }

  /**
   * Deletes sessions that can no longer matter: expired or revoked longer ago than any access
   * token issued from them can live (the revocation list reloads from these rows after a restart).
   */
  @Interval('session-housekeeping', 10 * 60_000)
  async deleteExpired(): Promise<number> {
    // A minute more than the window, so a reload never misses a row a token could still match.
    const keepSeconds = this.config.lateTokenWindowSeconds + 60;
    const result: [unknown[], number] = await this.sessions.query(
      `DELETE FROM sessions
        WHERE expires_at < now() - make_interval(secs => $1)
           OR revoked_at < now() - make_interval(secs => $1)`,
      [keepSeconds],
    );
    const deleted = result[1] ?? 0;
    if (deleted > 0) this.logger.log(`Deleted ${deleted} expired or revoked sessions`);
    return deleted;
  }
}

/** A stored amr the code no longer knows degrades to a password sign-in, never to more. */
const amrOf = (stored: string): AuthMethod[] => parseAmr(stored) ?? ['pwd'];
