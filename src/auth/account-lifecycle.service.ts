import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../access/auth-user.js';
import { Role } from '../access/role.enum.js';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService, type AuditRecord } from '../audit/audit.service.js';
import { AppError } from '../core/http/app-error.js';
import { RevocationList } from '../sessions/revocation-list.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { SessionsService, type RevocationReason } from '../sessions/sessions.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService, type AccountChange } from '../users/users.service.js';
import { LoginLockout } from '../throttling/login-lockout.service.js';
import { PasswordHasher } from './password.js';
import { passwordPolicyViolation } from './password-policy.js';

/** Who made an administrative change, for the audit log. */
export interface Actor {
  id: string;
  client: ClientInfo;
}

export interface AdminChanges {
  role?: Role;
  disabled?: boolean;
}

export interface StampBumpOptions {
  /** The change to the row itself (new hash, role, disabled), applied with the bump. */
  change?: AccountChange;
  /**
   * Which sessions end: every one (default), only cookie sessions (a role change: a cookie
   * session's payload holds the role, token sessions refresh into the new one), or none.
   */
  end?: 'all' | 'cookie' | 'none';
  /** The session making the change survives it (password change from a signed-in device). */
  keepSessionId?: string;
  /** More work in the same transaction, after the user's row is locked (consume a reset link, store an MFA secret). */
  within?: (manager: EntityManager, user: User) => Promise<void>;
}

/**
 * Everything that changes who may act as an account, in one place: each change locks the user's
 * row, applies itself, bumps the security stamp and ends the affected sessions in ONE
 * transaction, and the revocations reach every instance on commit. A login whose credential check
 * read the previous stamp can then no longer open a session (SessionGate).
 */
@Injectable()
export class AccountLifecycle {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly revocation: RevocationList,
    private readonly audit: AuditService,
    private readonly passwords: PasswordHasher,
    private readonly lockout: LoginLockout,
  ) {}

  /**
   * The one door for "the account changed": bumps the stamp and ends sessions (see
   * StampBumpOptions), atomically. Returns the new stamp. 404 for an unknown user.
   */
  bumpStampAndEndSessions(userId: string, reason: RevocationReason, options: StampBumpOptions = {}): Promise<number> {
    return this.revocation.commit(async (manager, publish) => {
      const user = await this.users.lockIn(manager, userId);
      if (!user) throw new AppError('USER_NOT_FOUND', 'User not found');
      await options.within?.(manager, user);
      const change = options.change ?? {};
      // Row first, sessions second: a login waiting on the row (SessionGate's FOR SHARE) either
      // sees the new stamp or inserted its session before the revocation below reads the table.
      const stamp = await this.users.applyAccountChangeIn(manager, userId, change);
      if (change.role !== undefined && change.role !== user.role) publish({ type: 'role', userId, role: change.role });
      const end = options.end ?? 'all';
      if (end === 'all') publish(await this.sessions.revokeAllIn(manager, userId, reason, options.keepSessionId));
      if (end === 'cookie') publish(await this.sessions.revokeCookieSessionsIn(manager, userId));
      return stamp;
    });
  }

  /**
   * An administrator's change of role or enabled state. A role change refuses, on every instance,
   * the access tokens carrying the previous role and ends cookie sessions (their payload holds the
   * role); disabling ends every session. No change may leave the system without an active admin.
   */
  async update(id: string, changes: AdminChanges, actor?: Actor): Promise<User> {
    const events: AuditRecord[] = [];
    const record = (type: AuditEventType, details?: Record<string, unknown>) =>
      events.push({ type, userId: id, actorId: actor?.id, client: actor?.client, details });
    await this.revocation.commit(async (manager, publish) => {
      const mayRemoveAdmin = (changes.role !== undefined && changes.role !== Role.Admin) || changes.disabled === true;
      // Locked before the target, in a fixed order: concurrent demotions serialise here.
      const activeAdmins = mayRemoveAdmin ? await this.users.lockActiveAdminsIn(manager) : [];
      const current = await this.users.lockIn(manager, id);
      if (!current) throw new AppError('USER_NOT_FOUND', 'User not found');
      const roleChanges = changes.role !== undefined && changes.role !== current.role;
      const disables = changes.disabled === true && current.disabledAt === null;
      const enables = changes.disabled === false && current.disabledAt !== null;
      if (!roleChanges && !disables && !enables) return;
      if ((roleChanges || disables) && activeAdmins.length === 1 && activeAdmins[0] === id) {
        throw new AppError('ADMIN_LAST_ACTIVE', 'This is the last active admin; promote another account first');
      }
      await this.users.applyAccountChangeIn(manager, id, {
        ...(roleChanges ? { role: changes.role } : {}),
        ...(disables ? { disabled: true } : enables ? { disabled: false } : {}),
      });
      if (roleChanges) {
        publish({ type: 'role', userId: id, role: changes.role! });
        record(AuditEventType.RoleChanged, { from: current.role, to: changes.role });
      }
      if (disables) {
        publish(await this.sessions.revokeAllIn(manager, id, 'disabled'));
        record(AuditEventType.UserDisabled);
      } else if (roleChanges) {
        publish(await this.sessions.revokeCookieSessionsIn(manager, id));
      }
      if (enables) record(AuditEventType.UserEnabled);
    });
    // Recorded once committed, so the trail never describes a change that was rolled back.
    for (const event of events) await this.audit.record(event);
    return this.users.getById(id);
  }

  /**
   * Proves the current password, then stores the new hash and ends every other session of the
   * user. A wrong current password counts in the account's login lockout (the same counter a
   * login by email uses) and is audited: a stolen session must not be a password oracle.
   */
  async changePassword(principal: AuthUser, currentPassword: string, newPassword: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findByIdWithHash(principal.userId);
    if (!user) throw new AppError('AUTH_SESSION_ENDED', 'Session has ended');
    const attempt = await this.lockout.beginAttempt(user.email);
    if (!(await this.passwords.verify(currentPassword, user.passwordHash))) {
      await this.audit.record({ type: AuditEventType.PasswordChangeFailed, userId: user.id, client, details: { sessionId: principal.sessionId } });
      if (attempt.locksOnFailure) await this.audit.record({ type: AuditEventType.Lockout, userId: user.id, client });
      throw new AppError('AUTH_WRONG_PASSWORD', 'Current password is incorrect');
    }
    await this.lockout.reset(user.email);
    const violation = passwordPolicyViolation(newPassword, { email: user.email, name: user.name ?? undefined, currentPassword });
    if (violation !== undefined) throw new AppError('VALIDATION_FAILED', [violation]);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.bumpStampAndEndSessions(user.id, 'password_change', { change: { passwordHash }, keepSessionId: principal.sessionId });
    await this.audit.record({ type: AuditEventType.PasswordChanged, userId: user.id, client });
  }

  /** The user's own "sign me out everywhere", this device included. */
  async logoutEverywhere(principal: AuthUser, client: ClientInfo): Promise<void> {
    await this.bumpStampAndEndSessions(principal.userId, 'logout_all');
    await this.audit.record({ type: AuditEventType.LogoutAll, userId: principal.userId, client });
  }

  /** An administrator ends all of the user's sessions; 404 for an unknown user. */
  async endAllSessions(id: string, actor: Actor): Promise<void> {
    await this.bumpStampAndEndSessions(id, 'admin');
    await this.audit.record({ type: AuditEventType.SessionsRevokedByAdmin, userId: id, actorId: actor.id, client: actor.client });
  }
}
