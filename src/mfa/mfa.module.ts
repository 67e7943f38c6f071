import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MfaChallenge } from './mfa-challenge.entity.js';
import { MfaChallenges } from './mfa-challenges.service.js';
import { RecoveryCode } from './recovery-code.entity.js';
import { RecoveryCodes } from './recovery-codes.service.js';
import { TotpCredential } from './totp-credential.entity.js';
import { TotpCredentials } from './totp-credentials.service.js';

/** Second-factor storage: TOTP authenticators, recovery codes and pending sign-ins. The flows are in auth/. */
@Module({
  imports: [TypeOrmModule.forFeature([TotpCredential, RecoveryCode, MfaChallenge])],
  providers: [TotpCredentials, RecoveryCodes, MfaChallenges],
  exports: [TotpCredentials, RecoveryCodes, MfaChallenges],
})
export class MfaModule {}
