import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AuthConfig } from '../core/config/auth.config.js';
import type { CookieConfig } from '../core/config/cookie.config.js';
import type { Environment } from '../core/config/env.validation.js';
import { AuthCookies } from './auth-cookies.js';
import type { CsrfTokens } from './csrf-tokens.js';

describe('AuthCookies start-up check', () => {
  const warnings = (secure: boolean, env: Partial<Environment>): string[] => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      new AuthCookies({ secure } as CookieConfig, {} as AuthConfig, env as Environment, {} as CsrfTokens).onApplicationBootstrap();
      return warn.mock.calls.map(([message]) => String(message));
    } finally {
      warn.mockRestore();
    }
  };

  it('warns when production has Secure cookies and no TRUST_PROXY', () => {
    const [warning] = warnings(true, { NODE_ENV: 'production', TRUST_PROXY: false });
    expect(warning).toMatch(/TRUST_PROXY/);
  });

  it('is quiet with TRUST_PROXY set, outside production, or without Secure cookies', () => {
    expect(warnings(true, { NODE_ENV: 'production', TRUST_PROXY: 1 })).toEqual([]);
    expect(warnings(true, { NODE_ENV: 'development', TRUST_PROXY: false })).toEqual([]);
    expect(warnings(false, { NODE_ENV: 'production', TRUST_PROXY: false })).toEqual([]);
  });
});
