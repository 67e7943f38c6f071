import { loadEnvironment } from './env.validation.js';
import { mailConfig } from './mail.config.js';

const strongSecret = 'k3Y8#pQ!v9Lw2@zR7^mN4&xT6*bH1$cJ5%dF0';
const build = (env: Record<string, string>) => mailConfig.build(loadEnvironment(env));

describe('mail configuration', () => {
  it('refuses production without MAIL_URL while email flows are on, in one line naming what to set', () => {
    expect(() => build({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/gatehouse', JWT_SECRET: strongSecret })).toThrow(/^Refusing to start: MAIL_URL is required in production[^\n]*$/);
  });

  it('accepts production with MAIL_URL, or with the email flows off', () => {
    expect(build({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/gatehouse', JWT_SECRET: strongSecret, MAIL_URL: 'smtp://u:p@mail.example.com:587' }).url).toBe('smtp://u:p@mail.example.com:587');
    expect(build({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/gatehouse', JWT_SECRET: strongSecret, EMAIL_FLOWS: 'off' })).toMatchObject({ flows: false, verification: 'off' });
  });

  it('writes .eml files in development without MAIL_URL', () => {
    expect(build({})).toMatchObject({ url: undefined, outboxDir: '.data/outbox', verification: 'optional', passwordResetTtlSeconds: 1800 });
  });

  it.each([
    [{ MAIL_URL: 'http://mail.example.com' }, /MAIL_URL must be an SMTP URL/],
    [{ APP_URL: 'app.example.com' }, /APP_URL must be an http\(s\) URL/],
    [{ EMAIL_VERIFICATION: 'sometimes' }, /EMAIL_VERIFICATION must be one of/],
    [{ PASSWORD_RESET_TTL: 'forever' }, /PASSWORD_RESET_TTL must be a duration/],
    [{ EMAIL_VERIFICATION: 'required', EMAIL_FLOWS: 'off' }, /EMAIL_VERIFICATION=required needs EMAIL_FLOWS=on/],
  ])('refuses %j', (env, message) => {
    expect(() => build(env as Record<string, string>)).toThrow(message);
  });

  it('reads durations and strips a trailing slash from APP_URL', () => {
    expect(build({ PASSWORD_RESET_TTL: '15m', EMAIL_LINK_TTL: '2h', APP_URL: 'https://app.example.com/' })).toMatchObject({
      passwordResetTtlSeconds: 900,
      linkTtlSeconds: 7200,
      appUrl: 'https://app.example.com',
    });
  });
});
