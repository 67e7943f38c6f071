import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthMethod } from '../access/auth-user.js';
import type { Role } from '../access/role.enum.js';
import { AppError } from '../core/http/app-error.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import type { SessionKind } from '../sessions/session.entity.js';

export interface SessionRequest {
  userId: string;
  /** The security stamp read together with the password hash, before bcrypt ran. */
  stamp: number;
  kind: SessionKind;
  client: ClientInfo;
  lifetimeSeconds: number;
  /** A cookie session brings the id its freshly regenerated cookie carries. */
  id?: string;
  /** How the sign-in was proven (RFC 8176), kept on the row so a refresh keeps it. */
  amr?: readonly AuthMethod[];
}

export interface OpenedSession {
  id: string;
  refreshCounter: number;
  /** The role at the stamp the credential check saw: what tokens and cookie payloads may carry. */
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

interface OpenedRow {
  id: string;
  refresh_counter: number;
  role: Role;
  created_at: Date;
  expires_at: Date;
}

/**
 * Creates the session row only if the account is still what the credential check saw: enabled,
 * with the same security stamp. A disable, password change or role change that commits while
 * bcrypt runs bumps the stamp, so the login that read the old one gets no session.
 *
 * One statement decides it, and FOR SHARE makes it wait for a change that holds the user's row:
 * either the change commits first (the stamp differs, nothing is inserted) or the row is inserted
 * first (the change, which ends sessions after locking the row, sees it and ends it too).
 * It reads `users` and writes `sessions`, so it lives here, above both features.
 */
@Injectable()
export class SessionGate {
  constructor(private readonly dataSource: DataSource) {}

  async open(request: SessionRequest): Promise<OpenedSession> {
    const rows: OpenedRow[] = await this.dataSource.query(
      `WITH account AS (
         SELECT id, role FROM users
          WHERE id = $2 AND security_stamp = $3 AND disabled_at IS NULL
          FOR SHARE
       ), opened AS (
         INSERT INTO sessions (id, user_id, kind, last_used_at, expires_at, ip, user_agent, amr)
         SELECT $1, account.id, $4, now(), now() + make_interval(secs => $5), $6, $7, $8 FROM account
         RETURNING id, refresh_counter, created_at, expires_at
       )
       SELECT opened.*, account.role FROM opened CROSS JOIN account`,
      [
        request.id ?? randomUUID(),
        request.userId,
        request.stamp,
        request.kind,
        request.lifetimeSeconds,
        request.client.ip?.slice(0, 64) ?? null,
        request.client.userAgent?.slice(0, 256) ?? null,
        (request.amr ?? ['pwd']).join(' '),
      ],
    );
    const [row] = rows;
    if (!row) throw new AppError('AUTH_ACCOUNT_CHANGED', 'The account changed while signing in; sign in again');
    return { id: row.id, refreshCounter: row.refresh_counter, role: row.role, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) };
  }
}
