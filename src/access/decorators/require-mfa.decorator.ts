import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';

export const REQUIRE_MFA_KEY = 'gatehouse:require-mfa';

/**
 * Step-up: when the account has MFA enabled, only a credential whose sign-in included the second
 * factor (amr contains "otp") may call the route; others get 403 AUTH_MFA_REQUIRED. Accounts
 * without MFA pass. Checked by MfaGuard from the principal alone (no database read).
 */
export const RequireMfa = () =>
  applyDecorators(
    SetMetadata(REQUIRE_MFA_KEY, true),
    ApiForbiddenResponse({ description: 'AUTH_MFA_REQUIRED: the account has MFA and this credential was signed in without it' }),
  );
