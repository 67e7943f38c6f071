import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { cookieConfig, type CookieConfig } from '../core/config/cookie.config.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { LoginLockout } from '../throttling/login-lockout.service.js';
import { UserResponse } from '../users/dto/user-response.dto.js';
import type { Role } from '../access/role.enum.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { AuthMethod, AuthUser } from '../access/auth-user.js';
import { TotpCredentials } from '../mfa/totp-credentials.service.js';
import type { RegisterDto } from './dto/register.dto.js';
import type { TokenResponse } from './dto/token-response.dto.js';
import { PasswordHasher } from './password.js';
import { SessionGate } from './session-gate.js';
import { RefreshTokenCodec } from './refresh-token.js';
import { AppError } from '../core/http/app-error.js';
import { mailConfig, type MailConfig } from '../core/config/mail.config.js';

/** How a sign-in was proven, and whether the account has MFA: both ride in the credential. */
export interface SignInFactors {
  amr: AuthMethod[];
  mfa: boolean;
}

export const PASSWORD_SIGN_IN: SignInFactors = { amr: ['pwd'], mfa: false };

/** One answer for every credential failure, so a caller cannot tell which part was wrong. */
const INVALID_CREDENTIALS = 'Invalid credentials';

@Injectable()
export class AuthService {
  private readonly refreshTokens: RefreshTokenCodec;
  private readonly cookieSessionLifetimeSeconds: number;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly gate: SessionGate,
    private readonly passwords: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly keys: KeyRing,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockout,
    private readonly totp: TotpCredentials,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    @Inject(cookieConfig.KEY) cookies: CookieConfig,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
  ) {
    this.refreshTokens = new RefreshTokenCodec(config.refreshKey);
    this.cookieSessionLifetimeSeconds = cookies.absoluteTimeoutSeconds;
  }

  async register(input: RegisterDto, client: ClientInfo): Promise<User> {
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.users.create({ email: input.email, passwordHash, name: input.name });
    await this.audit.record({ type: AuditEventType.Registered, userId: user.id, client });
    return user;
  }

  /**
   * Unknown email and wrong password cost the same bcrypt comparison and fail the same way.
   * A disabled account is only reported once the password has proven ownership.
   */
  async verifyCredentials(email: string, password: string, client: ClientInfo): Promise<User> {
    // Counted before any bcrypt work (a locked email is refused here), alike whether it has an account.
    const attempt = await this.lockout.beginAttempt(email);
    const user = await this.users.findByEmailWithHash(email);
    const valid = await this.passwords.verify(password, user?.passwordHash);
    if (!user || !valid || user.disabledAt !== null) {
      const reason = !user ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled';
      await this.audit.record({ type: AuditEventType.LoginFailed, userId: user?.id, client, details: { reason } });
      if (attempt.locksOnFailure) {
        await this.audit.record({ type: AuditEventType.Lockout, userId: user?.id, client });
      }
      throw user && valid ? new AppError('AUTH_ACCOUNT_DISABLED', 'Account is disabled') : new AppError('AUTH_INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    }
    await this.lockout.reset(email);
    // EMAIL_VERIFICATION=required: told only once the password has proven ownership.
    if (this.mail.verification === 'required' && user.emailVerifiedAt === null) {
      await this.audit.record({ type: AuditEventType.LoginFailed, userId: user.id, client, details: { reason: 'email_unverified' } });
      throw new AppError('AUTH_EMAIL_UNVERIFIED', 'Confirm your email address first: follow the link in the mail we sent');
    }
    if (this.passwords.needsRehash(user.passwordHash)) {
      // Only over the hash that was checked: a password change that committed meanwhile wins.
      await this.users.replacePasswordHash(user.id, user.passwordHash, await this.passwords.hash(password));
    }
    const { passwordHash: _hash, ...withoutHash } = user;
    return withoutHash as User;
  }

  /**
   * Starts a token session for the user and returns its first token pair; refused
   * (AUTH_ACCOUNT_CHANGED) if the account changed since verifyCredentials read it.
   */
  async login(user: User, client: ClientInfo, factors: SignInFactors = PASSWORD_SIGN_IN): Promise<TokenResponse> {
    const session = await this.gate.open({
      userId: user.id, stamp: user.securityStamp, kind: 'token', client, lifetimeSeconds: this.config.refreshTtlSeconds, amr: factors.amr,
    });
    await this.audit.record({ type: AuditEventType.LoginSucceeded, userId: user.id, client, details: { kind: 'token', sessionId: session.id, amr: factors.amr } });
    return this.tokenPair({ ...user, role: session.role }, session.id, session.refreshCounter, factors);
  }

  /**
   * Exchanges a refresh token for a new pair. The token just replaced still answers with the same
   * successor for REFRESH_REUSE_INTERVAL seconds (tabs refreshing at once); any older token is
   * reuse, which ends the whole session.
   */
  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<TokenResponse> {
    const parts = this.refreshTokens.decode(refreshToken);
    if (!parts) throw new AppError('AUTH_REFRESH_INVALID', 'Invalid refresh token');
    const result = await this.sessions.rotate(parts.sessionId, parts.counter);
    if (result.outcome === 'reused') {
      const details = { sessionId: parts.sessionId };
      await this.audit.record({ type: AuditEventType.RefreshReuseDetected, userId: result.userId, client, details });
      throw new AppError('AUTH_REFRESH_REUSED', 'Refresh token reuse detected; the session has been ended');
    }
    if (result.outcome === 'invalid') throw new AppError('AUTH_REFRESH_INVALID', 'Invalid refresh token');
    await this.audit.record({ type: AuditEventType.Refresh, userId: result.userId, client, details: { sessionId: result.sessionId } });
    // The role is read now, not remembered: a role change reaches token sessions at their next refresh.
    const user = await this.users.getById(result.userId);
    if (user.disabledAt !== null) throw new AppError('AUTH_SESSION_ENDED', 'Session has ended');
    const factors = { amr: result.amr, mfa: await this.totp.isEnabled(user.id) };
    return this.tokenPair(user, result.sessionId, result.counter, factors);
  }

  /**
   * Starts a cookie session under the id its (freshly regenerated) cookie carries, under the same
   * condition as login(). The role returned is the one its payload may carry.
   */
  async startCookieSession(
    user: User,
    sessionId: string,
    client: ClientInfo,
    factors: SignInFactors = PASSWORD_SIGN_IN,
  ): Promise<{ role: Role; issuedAt: number; expiresAt: number }> {
    const session = await this.gate.open({
      userId: user.id, stamp: user.securityStamp, kind: 'cookie', client, lifetimeSeconds: this.cookieSessionLifetimeSeconds, id: sessionId, amr: factors.amr,
    });
    await this.audit.record({ type: AuditEventType.LoginSucceeded, userId: user.id, client, details: { kind: 'cookie', sessionId, amr: factors.amr } });
    return { role: session.role, issuedAt: Math.floor(session.createdAt.getTime() / 1000), expiresAt: Math.floor(session.expiresAt.getTime() / 1000) };
  }

  /** The session a refresh token belongs to, if it is authentic (for the CSRF check of the cookie transport). */
  refreshTokenSession(refreshToken: string): string | null {
    return this.refreshTokens.decode(refreshToken)?.sessionId ?? null;
  }

  /** Ends the caller's own session (idempotent: a cookie session may already be destroyed). */
  async logout(principal: AuthUser, client: ClientInfo): Promise<void> {
    await this.sessions.end(principal.sessionId, 'logout');
    await this.audit.record({ type: AuditEventType.Logout, userId: principal.userId, client, details: { sessionId: principal.sessionId, via: principal.via } });
  }

  /** Ends one of the caller's other devices; another user's session is "not found". */
  async revokeSession(principal: AuthUser, sessionId: string, client: ClientInfo): Promise<void> {
    await this.sessions.revoke(principal.userId, sessionId, 'revoked_by_user');
    await this.audit.record({ type: AuditEventType.SessionRevoked, userId: principal.userId, client, details: { sessionId } });
  }

  /** A short-lived access token naming the session, signed with the current key. */
  private signAccessToken(user: { id: string; role: Role }, sessionId: string, factors: SignInFactors): Promise<string> {
    const key = this.keys.current();
    return this.jwt.signAsync(
      { role: user.role, sid: sessionId, amr: factors.amr, mfa: factors.mfa },
      { subject: user.id, jwtid: randomUUID(), keyid: key.kid, privateKey: key.signingKey },
    );
  }

  private async tokenPair(user: User, sessionId: string, counter: number, factors: SignInFactors): Promise<TokenResponse> {
    return {
      accessToken: await this.signAccessToken(user, sessionId, factors),
      sessionId,
      refreshToken: this.refreshTokens.encode({ sessionId, counter }),
      tokenType: 'Bearer',
      expiresIn: this.config.accessTtlSeconds,
      user: UserResponse.from(user),
    };
  }
}
