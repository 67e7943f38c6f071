import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import { AuditModule } from '../audit/audit.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { MfaModule } from '../mfa/mfa.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { RevocationList } from '../sessions/revocation-list.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { UsersService } from '../users/users.service.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module.js';
import { AccountMails } from './account-mails.js';
import { AccountRecovery } from './account-recovery.service.js';
import { AfterResponse } from './after-response.js';
import { EmailChangeController } from './email-change.controller.js';
import { EmailChange } from './email-change.service.js';
import { EmailFlowsController } from './email-flows.controller.js';
import { EmailVerification } from './email-verification.service.js';
import { EmailToken } from './email-tokens/email-token.entity.js';
import { EmailTokenStore } from './email-tokens/email-token.store.js';
import { MailedLinks } from './mailed-links.js';
import { AccountController } from './account.controller.js';
import { AccountLifecycle } from './account-lifecycle.service.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminSeeder } from './admin.seeder.js';
import { AuthCookies } from './auth-cookies.js';
import { AuthController } from './auth.controller.js';
import { CsrfTokens } from './csrf-tokens.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { CredentialPolicy } from './credential-policy.js';
import { AccessGuard } from './guards/access.guard.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { RolesGuard } from './guards/roles.guard.js';
import { RoutePolicies } from './guards/route-policies.js';
import { MfaGuard } from './guards/mfa.guard.js';
import { MfaController } from './mfa.controller.js';
import { MfaEnrolment } from './mfa-enrolment.service.js';
import { MfaSignIn } from './mfa-sign-in.service.js';
import { SecondFactor } from './second-factor.js';
import { SignInResponses } from './sign-in-responses.js';
import { SameSiteGuard } from './guards/same-site.guard.js';
import { PasswordHasher } from './password.js';
import { SessionGate } from './session-gate.js';
import { ACCESS_TOKEN_TYPE, JwtStrategy } from './strategies/jwt.strategy.js';
import { LocalStrategy } from './strategies/local.strategy.js';

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    KeysModule,
    AuditModule,
    ThrottlingModule,
    MailModule,
    TypeOrmModule.forFeature([EmailToken]),
    MfaModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (config: AuthConfig) => ({
        // Keys come from the KeyRing at each signature (it rotates); see AuthService.signAccessToken.
        signOptions: {
          algorithm: config.jwtAlgorithm,
          expiresIn: config.accessTtlSeconds,
          issuer: config.issuer,
          audience: config.audience,
          header: { alg: config.jwtAlgorithm, typ: ACCESS_TOKEN_TYPE },
        },
        verifyOptions: { algorithms: [config.jwtAlgorithm], issuer: config.issuer, audience: config.audience },
      }),
    }),
  ],
  controllers: [AuthController, AccountController, AdminUsersController, EmailFlowsController, EmailChangeController, MfaController],
  providers: [
    AuthService,
    AccountLifecycle,
    SessionGate,
    Authenticator,
    CredentialPolicy,
    JwtAuthGuard,
    RoutePolicies,
    RolesGuard,
    MfaGuard,
    AuthCookies,
    SignInResponses,
    SecondFactor,
    MfaSignIn,
    MfaEnrolment,
    CsrfTokens,
    PasswordHasher,
    LocalStrategy,
    JwtStrategy,
    AdminSeeder,
    // Email flows: verification, password reset, email change.
    EmailTokenStore, MailedLinks, AccountMails, AfterResponse, EmailVerification, AccountRecovery, EmailChange,
    SameSiteGuard,
    // One global guard: cross-site sign-ins refused first, then authentication, then the role
    // check that reads its result, then the second-factor policy (see AccessGuard).
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  // A feature module that imports AuthModule can write @UseGuards(JwtAuthGuard, RolesGuard).
  exports: [Authenticator, RoutePolicies, JwtAuthGuard, RolesGuard, MfaGuard, AuthService, AccountLifecycle, PasswordHasher],
})
export class AuthModule {
  // sessions/ and users/ sit side by side and import neither each other nor each other's tables:
  // the revocation list reads account state through UsersService, wired here where both meet.
  constructor(revocation: RevocationList, users: UsersService) {
    revocation.useAccounts(users);
  }
}
