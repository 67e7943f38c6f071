import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, QueryFailedError, Repository } from 'typeorm';
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

/** What may change about who can act as an account; every such change bumps the stamp. */
export interface AccountChange {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

/** A user together with its password hash; only the auth layer asks for one. */
export type UserWithHash = User & { passwordHash: string };

/**
 * The `users` table and nothing else: what ends sessions when an account changes lives in
 * auth/ (AccountLifecycle), which calls the `...In(manager)` methods inside its transaction.
 */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

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

  /** Users whose role changed less than `seconds` ago (for the revocation list's reload). */
  async roleChangesWithin(seconds: number): Promise<Array<{ userId: string; role: Role; changedAt: number }>> {
    const rows: Array<{ id: string; role: Role; changed_at: string }> = await this.users.query(
      `SELECT id, role, ceil(extract(epoch FROM role_changed_at))::bigint AS changed_at
         FROM users WHERE role_changed_at > now() - make_interval(secs => $1)`,
      [seconds],
    );
    return rows.map((row) => ({ userId: row.id, role: row.role, changedAt: Number(row.changed_at) }));
  }

  /** Whether the account exists, is enabled and holds `role` (the revocation fallback). */
  async holdsRole(userId: string, role: Role): Promise<boolean> {
    const [row] = await this.users.query('SELECT disabled_at IS NULL AND role = $2 AS holds FROM users WHERE id = $1', [userId, role]);
    return row?.holds === true;
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

  /** For credential checks only: the one query that reads the hash (and the stamp it was read under). */
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

  /** The profile fields a user edits; nothing here changes who may act as the account. */
  async updateProfile(id: string, profile: { name: string }): Promise<User> {
    await this.users.update({ id }, { name: profile.name });
    return this.getById(id);
  }

  /**
   * A re-hash at a higher cost: the same password, so no stamp bump. Written only over the hash it
   * replaces (compare-and-set), so it can never undo a password change that committed meanwhile.
   */
  async replacePasswordHash(id: string, previousHash: string, passwordHash: string): Promise<void> {
    await this.users.update({ id, passwordHash: previousHash }, { passwordHash });
  }

  /** Locks the user's row for the rest of the transaction. */
  lockIn(manager: EntityManager, id: string): Promise<User | null> {
    return manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Locks every active admin's row (in id order, so two transactions never deadlock) and returns
   * their ids. Two admins demoting each other concurrently serialise here: the second sees the
   * first's change once it commits (PostgreSQL re-checks the WHERE of a row it waited for).
   */
  async lockActiveAdminsIn(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM users WHERE role = $1 AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
      [Role.Admin],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Applies the change and bumps the security stamp in one statement; returns the new stamp.
   * Anything that remembered the old stamp (a login in flight, a reset link) is now refused.
   */
  async applyAccountChangeIn(manager: EntityManager, id: string, change: AccountChange): Promise<number> {
    const set: string[] = ['security_stamp = security_stamp + 1', 'updated_at = now()'];
    const params: unknown[] = [id];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (change.role !== undefined) set.push(`role = ${param(change.role)}`, 'role_changed_at = now()');
    if (change.disabled === true) set.push('disabled_at = coalesce(disabled_at, now())');
    if (change.disabled === false) set.push('disabled_at = NULL');
    if (change.passwordHash !== undefined) set.push(`password_hash = ${param(change.passwordHash)}`);
    const [rows]: [Array<{ security_stamp: number }>, number] = await manager.query(
      `UPDATE users SET ${set.join(', ')} WHERE id = $1 RETURNING security_stamp`,
      params,
    );
    if (rows.length === 0) throw new AppError('USER_NOT_FOUND', 'User not found');
    return rows[0].security_stamp;
  }

  // Email flows (auth/email-verification, account-recovery, email-change), inside their transactions.

  /** The owner followed a link mailed to the current address. */
  async markEmailVerifiedIn(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1', [id]);
  }

  /** A confirmed new address (verified by that confirmation); the unique index decides a race. */
  async changeEmailIn(manager: EntityManager, id: string, email: string): Promise<void> {
    try {
      await manager.query('UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() WHERE id = $1', [id, normaliseEmail(email)]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('USER_EMAIL_TAKEN', 'That address now belongs to another account');
      throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION;
}
