import { SetMetadata } from '@nestjs/common';

export const ISSUES_CREDENTIALS_KEY = 'gatehouse:issues-credentials';

/**
 * Marks a route that signs someone in (sets a session cookie or token cookies, or answers with
 * tokens): a request from another site's page is refused there (login CSRF), unless its origin
 * is listed in CORS_ORIGINS. Put it on every login-like route (a reset or MFA completion too).
 */
export const IssuesCredentials = () => SetMetadata(ISSUES_CREDENTIALS_KEY, true);
