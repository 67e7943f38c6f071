import { ConfigurationError, loadEnvironment, parseDuration, weakSecretReason } from './env.validation.js';

const strongSecret = 'kR9v2mXq7LpT4wZs8NbYc3Hd6JfGa1Ue5Qo0Vi';

describe('loadEnvironment', () => {
  it('fills in safe defaults', () => {
    const env = loadEnvironment({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, JWT_ACCESS_TTL: 900, BCRYPT_COST: 12, DB_MIGRATE: true });
  });

  it('parses durations and booleans', () => {
    expect(loadEnvironment({ JWT_ACCESS_TTL: '5m', DB_MIGRATE: 'false' })).toMatchObject({ JWT_ACCESS_TTL: 300, DB_MIGRATE: false });
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('soon')).toBe('soon');
  });

  it.each([
    [{ PORT: '99999' }, /PORT must not be greater than 65535/],
    [{ PORT: 'http' }, /PORT must be an integer/],
    [{ JWT_ACCESS_TTL: 'forever' }, /JWT_ACCESS_TTL must be a duration/],
    [{ BCRYPT_COST: '3' }, /BCRYPT_COST must not be less than 4/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV must be one of/],
    [{ JWT_ALGORITHM: 'EdDSA' }, /JWT_ALGORITHM must be one of: HS256, ES256, RS256 \(EdDSA is not offered/],
    [{ JWT_ALGORITHM: 'none' }, /JWT_ALGORITHM must be one of/],
    [{ ADMIN_EMAIL: 'root@example.com' }, /ADMIN_EMAIL and ADMIN_PASSWORD must be set together/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY must be true, false, a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/8, proxy.internal' }, /TRUST_PROXY must be/],
    [{ RATE_LIMIT_AUTH: '0' }, /RATE_LIMIT_AUTH must not be less than 1/],
  ])('refuses %o with one readable line', (raw, message) => {
    expect(() => loadEnvironment(raw)).toThrow(ConfigurationError);
    expect(() => loadEnvironment(raw)).toThrow(message);
    try {
      loadEnvironment(raw);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads TRUST_PROXY as off, on, a hop count or proxy addresses', () => {
    expect(loadEnvironment({}).TRUST_PROXY).toBe(false);
    expect(loadEnvironment({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadEnvironment({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadEnvironment({ TRUST_PROXY: ' 10.0.0.0/8, ::1, loopback ' }).TRUST_PROXY).toBe('10.0.0.0/8, ::1, loopback');
  });

  it('never echoes a secret value in the error', () => {
    expect(() => loadEnvironment({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' })).toThrow(/^((?!short).)*$/);
  });

  describe('in production', () => {
    it.each([
      [undefined, /JWT_SECRET is required in production/],
      ['changeme', /known placeholder/],
      ['your-256-bit-secret', /known placeholder/],
      ['tooShortButRandom-9f8e7d', /shorter than 32 bytes/],
      ['a'.repeat(40), /too little variety/],
    ])('refuses to start with JWT_SECRET=%s', (secret, message) => {
      expect(() => loadEnvironment({ NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(message);
    });

    it('starts with a strong secret', () => {
      expect(loadEnvironment({ NODE_ENV: 'production', JWT_SECRET: strongSecret, DATABASE_URL: 'postgres://db.internal/gatehouse' }).JWT_SECRET).toBe(strongSecret);
    });

    it('refuses the embedded database unless asked for on purpose', () => {
      expect(() => loadEnvironment({ NODE_ENV: 'production', JWT_SECRET: strongSecret })).toThrow(/DATABASE_URL is required in production.*EMBEDDED_DATABASE=true/);
      expect(loadEnvironment({ NODE_ENV: 'production', JWT_SECRET: strongSecret, EMBEDDED_DATABASE: 'true' }).EMBEDDED_DATABASE).toBe(true);
    });
  });

  it.each([
    [{ DATABASE_URL: 'localhost:5432/db' }, /DATABASE_URL must be a URL such as postgres:/],
    [{ DATABASE_URL: 'http://localhost/db' }, /DATABASE_URL must be a URL/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a URL such as redis:/],
    [{ DB_STATEMENT_TIMEOUT_MS: '5s' }, /DB_STATEMENT_TIMEOUT_MS must be a number of milliseconds/],
    [{ SHUTDOWN_TIMEOUT: 'later' }, /SHUTDOWN_TIMEOUT must be a duration/],
  ])('refuses %o in one line that names the variable and never shows the URL', (raw, message) => {
    expect(() => loadEnvironment(raw)).toThrow(message);
    expect(() => loadEnvironment({ DATABASE_URL: 'postgres:secret@localhost/db' })).toThrow(/^((?!secret).)*$/);
  });

  it('accepts service URLs and bounded waits', () => {
    expect(loadEnvironment({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', REDIS_URL: 'rediss://cache:6380/0', SHUTDOWN_TIMEOUT: '20s' })).toMatchObject({
      DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db',
      REDIS_URL: 'rediss://cache:6380/0',
      SHUTDOWN_TIMEOUT: 20,
      DB_STATEMENT_TIMEOUT_MS: 5000,
    });
  });

  it('does not judge secrets outside production', () => {
    expect(loadEnvironment({ NODE_ENV: 'development', JWT_SECRET: 'dev' }).JWT_SECRET).toBe('dev');
    expect(weakSecretReason('SESSION_SECRET', strongSecret)).toBeUndefined();
  });
});
