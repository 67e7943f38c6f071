import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService, type AuditRecord } from '../audit/audit.service.js';
import { RevocationList } from '../sessions/revocation-list.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { Role } from '../access/role.enum.js';
import { normaliseEmail } from '../core/text/user-email.js';
import { User } from './user.entity.js';
import { AppError } from '../core/http/app-error.js';

const UNIQUE_VIOLATION = '23505';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string | null;
  role?: Role;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

/** Who made an administrative change, for the audit log. */
export interface Actor {
  id: string;
  client: ClientInfo;
}

/** A user together with its password hash; only the auth layer asks for one. */
export type UserWithHash = User & { passwordHash: string };

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly sessions: SessionsService,
    private readonly revocation: RevocationList,
    private readonly audit: AuditService,
  ) {}

  /** Inserts the user; the unique index on lower(email) decides races and case variants. */
  async create(input: NewUser): Promise<User> {
    try {
      const [row] = await this.users
        .createQueryBuilder()
        .insert()
        .values({
          email: normaliseEmail(input.email),
          passwordHash: input.passwordHash,
          name: input.name ?? null,
          role: input.role ?? Role.User,
        })
        .returning(['id'])
        .execute()
        .then((result) => result.raw as Array<{ id: string }>);
      return this.getById(row.id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('USER_EMAIL_TAKEN', 'Email is already registered');
      throw error;
    }
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new AppError('USER_NOT_FOUND', 'User not found');
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normaliseEmail(email) });
  }

  /** For credential checks only: the one query that reads the hash. */
  findByEmailWithHash(email: string): Promise<UserWithHash | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: normaliseEmail(email) })
      .getOne() as Promise<UserWithHash | null>;
  }

  findByIdWithHash(id: string): Promise<UserWithHash | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :id', { id })
      .getOne() as Promise<UserWithHash | null>;
  }

  async list(page: number, limit: number): Promise<{ items: User[]; total: number }> {
    const [items, total] = await this.users.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }

  /**
   * Applies the changes in one transaction. A role change refuses, on every instance, the access
   * tokens that carry the previous role (the session lives on: a refresh picks up the new role);
   * disabling ends every session of the user.
   */
  async update(id: string, changes: UserChanges, actor?: Actor): Promise<User> {
    const events: AuditRecord[] = [];
    const record = (type: AuditEventType, details?: Record<string, unknown>) =>
      events.push({ type, userId: id, actorId: actor?.id, client: actor?.client, details });
    await this.revocation.commit(async (manager, publish) => {
      const current = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new AppError('USER_NOT_FOUND', 'User not found');
      const set: Record<string, unknown> = {};
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.role !== undefined && changes.role !== current.role) {
        Object.assign(set, { role: changes.role, roleChangedAt: () => 'now()' });
        publish({ type: 'role', userId: id, role: changes.role });
        publish(await this.sessions.revokeCookieSessionsIn(manager, id));
        record(AuditEventType.RoleChanged, { from: current.role, to: changes.role });
      }
      if (changes.disabled === true && current.disabledAt === null) {
        set.disabledAt = () => 'now()';
        publish(await this.sessions.revokeAllIn(manager, id, 'disabled'));
        record(AuditEventType.UserDisabled);
      }
      if (changes.disabled === false && current.disabledAt !== null) {
        set.disabledAt = null;
        record(AuditEventType.UserEnabled);
      }
      if (Object.keys(set).length > 0) await manager.update(User, { id }, set);
    });
    // Recorded once committed, so the trail never describes a change that was rolled back.
    for (const event of events) await this.audit.record(event);
    return this.getById(id);
  }

  /** Stores the new hash and ends every other session of the user, in one transaction. */
  async changePassword(id: string, passwordHash: string, keepSessionId: string): Promise<void> {
    await this.revocation.commit(async (manager, publish) => {
      await manager.update(User, { id }, { passwordHash });
      publish(await this.sessions.revokeAllIn(manager, id, 'password_change', keepSessionId));
    });
  }

  /** Ends all of the user's sessions (admin action); 404 for an unknown user. */
  async endAllSessions(id: string, actor: Actor): Promise<void> {
    await this.getById(id);
    await this.sessions.revokeAll(id, 'admin');
    await this.audit.record({ type: AuditEventType.SessionsRevokedByAdmin, userId: id, actorId: actor.id, client: actor.client });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION;
}
