import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, validateSync } from 'class-validator';

const durationPattern = /^(\d+)\s*(s|m|h|d)?$/i;
const durationUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `900`, `900s`, `15m`, `12h`, `30d` → seconds; anything else is left as-is for the validator. */
export function parseDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = durationPattern.exec(value.trim());
  if (!match) return value;
  return Number(match[1]) * durationUnits[(match[2] ?? 's').toLowerCase()];
}

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
const toDuration = ({ value }: { value: unknown }) => parseDuration(value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** An address, a CIDR range or one of the names proxy-addr (Fastify's trustProxy) knows. */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, mask, ...rest] = entry.split('/');
  return rest.length === 0 && isIP(address) !== 0 && (mask === undefined || /^\d{1,3}$/.test(mask) || isIP(mask) === 4);
}

/**
 * A URL with one of `protocols` and a host. `localhost:5432/db` parses as a URL whose scheme is
 * "localhost:", which the drivers would then read as a host named after the port.
 */
function isServiceUrl(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Every environment variable Gatehouse reads, with its default. One schema, checked at boot. */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  @ValidateBy({ name: 'isDatabaseUrl', validator: { validate: (value: unknown) => typeof value !== 'string' || isServiceUrl(value, ['postgres:', 'postgresql:']) } }, {
    message: 'DATABASE_URL must be a URL such as postgres://user:password@host:5432/database',
  })
  DATABASE_URL?: string;

  @Transform(toBool) @IsIn([true, false], { message: 'DB_MIGRATE must be true or false' })
  DB_MIGRATE = true;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  JWT_SECRET?: string;

  /**
   * HS256 signs with JWT_SECRET; ES256 and RS256 sign with key pairs the server generates and
   * keeps (private keys encrypted) in the database, published at /.well-known/jwks.json.
   */
  @IsIn(['HS256', 'ES256', 'RS256'], {
    message: 'JWT_ALGORITHM must be one of: HS256, ES256, RS256 (EdDSA is not offered: jsonwebtoken, under @nestjs/jwt and passport-jwt, does not implement it)',
  })
  JWT_ALGORITHM: 'HS256' | 'ES256' | 'RS256' = 'HS256';

  @Transform(toDuration) @IsInt({ message: 'JWT_ACCESS_TTL must be a duration such as 900, 15m or 1h' }) @Min(10) @Max(86400)
  JWT_ACCESS_TTL = 900;

  @Transform(toDuration) @IsInt({ message: 'JWT_CLOCK_TOLERANCE must be a duration such as 5s' }) @Min(0) @Max(60)
  JWT_CLOCK_TOLERANCE = 5;

  @Transform(toDuration) @IsInt({ message: 'REFRESH_TTL must be a duration such as 30d' }) @Min(60) @Max(365 * 86400)
  REFRESH_TTL = 30 * 86400;

  /** Seconds during which a just-rotated refresh token still returns the same successor. */
  @Transform(toDuration) @IsInt({ message: 'REFRESH_REUSE_INTERVAL must be a duration such as 10s' }) @Min(0) @Max(300)
  REFRESH_REUSE_INTERVAL = 10;

  @IsString() @MinLength(1)
  JWT_ISSUER = 'gatehouse';

  @IsString() @MinLength(1)
  JWT_AUDIENCE = 'gatehouse';

  /** 4 is bcrypt's floor and only sensible in tests; production keeps the default 12 or more. */
  @Transform(toInt) @IsInt() @Min(4) @Max(15)
  BCRYPT_COST = 12;

  @Transform(emptyToUndefined) @IsOptional() @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  /** Signs the session cookie and CSRF tokens; derived from JWT_SECRET (HKDF) when unset. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SESSION_SECRET?: string;

  /** Secure cookies (and the __Host- name prefixes); defaults to true in production. */
  @Transform(toBool) @IsOptional() @IsIn([true, false], { message: 'COOKIE_SECURE must be true or false' })
  COOKIE_SECURE?: boolean;

  /** A cookie session ends after this long without a request (rolling). */
  @Transform(toDuration) @IsInt({ message: 'SESSION_IDLE_TIMEOUT must be a duration such as 30m' }) @Min(120) @Max(30 * 86400)
  SESSION_IDLE_TIMEOUT = 30 * 60;

  /** A cookie session ends this long after sign-in, however active. */
  @Transform(toDuration) @IsInt({ message: 'SESSION_ABSOLUTE_TIMEOUT must be a duration such as 7d' }) @Min(60) @Max(365 * 86400)
  SESSION_ABSOLUTE_TIMEOUT = 7 * 86400;

  /** Set: cookie-session data lives in Redis instead of PostgreSQL. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  @ValidateBy({ name: 'isRedisUrl', validator: { validate: (value: unknown) => typeof value !== 'string' || isServiceUrl(value, ['redis:', 'rediss:']) } }, {
    message: 'REDIS_URL must be a URL such as redis://host:6379',
  })
  REDIS_URL?: string;

  /** Browser origins allowed to call the API with credentials, comma-separated; empty: no CORS. */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((origin) => origin.trim()).filter(Boolean) : value))
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s]+$/, { each: true, message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com' })
  CORS_ORIGINS: string[] = [];

  /** Requests per minute per client IP on login, register, refresh and session login. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_AUTH = 20;

  /** true: an admin must enrol in MFA (and sign in with it) before any admin route answers. */
  @Transform(toBool) @IsIn([true, false], { message: 'MFA_REQUIRED_FOR_ADMINS must be true or false' })
  MFA_REQUIRED_FOR_ADMINS = false;

  /** The issuer an authenticator app shows next to the account (otpauth:// URI). */
  @IsString() @MinLength(1) @Matches(/^[^:]{1,64}$/, { message: 'MFA_ISSUER must be 1-64 characters without a colon' })
  MFA_ISSUER = 'Gatehouse';

  /** Failed logins for one email (whatever the IP) before it is locked. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  LOCKOUT_THRESHOLD = 10;

  /** How long a lockout lasts, and the window in which failures are counted. */
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  LOCKOUT_MINUTES = 15;

  /**
   * Whether to believe X-Forwarded-For for the client IP: `false` (default), `true` (any proxy),
   * a number of hops, or a comma-separated list of proxy addresses/CIDRs.
   */
  @Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (v === '' || v === 'false') return false;
    if (v === 'true') return true;
    return /^\d+$/.test(v) ? Number(v) : value.trim();
  })
  @IsOptional()
  // Checked here, or a typo would only surface as Fastify's stack trace at boot.
  @ValidateBy({
    name: 'isTrustProxy',
    validator: { validate: (value: unknown) => typeof value !== 'string' || value.split(',').every((entry) => isProxyAddress(entry.trim())) },
  }, { message: 'TRUST_PROXY must be true, false, a hop count, or comma-separated proxy addresses/CIDRs' })
  TRUST_PROXY: boolean | number | string = false;

  /**
   * The address clients reach this server at (the OpenAPI document's `servers`), e.g.
   * https://auth.example.com behind a proxy; unset: the address the server listens on.
   */
  @Transform(emptyToUndefined) @IsOptional()
  @Matches(/^https?:\/\/[^\s?#]+[^/\s?#]$/, { message: 'PUBLIC_URL must be an absolute http(s) URL without a trailing slash, such as https://auth.example.com' })
  PUBLIC_URL?: string;

  /** Serve Swagger UI at /docs and the OpenAPI document at /docs-json; default: on except in production. */
  @Transform(toBool) @IsOptional() @IsIn([true, false], { message: 'SWAGGER must be true or false' })
  SWAGGER?: boolean;

  // ── Reliability: every wait is bounded (see README, "Failure modes") ──

  /** Without DATABASE_URL in production, the embedded PostgreSQL is used only when this says so. */
  @Transform(toBool) @IsOptional() @IsIn([true, false], { message: 'EMBEDDED_DATABASE must be true or false' })
  EMBEDDED_DATABASE?: boolean;

  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  DB_POOL_SIZE = 10;

  /** Connecting to PostgreSQL, and waiting for a free pooled connection (ms). */
  @Transform(toInt) @IsInt({ message: 'DB_CONNECT_TIMEOUT_MS must be a number of milliseconds' }) @Min(100) @Max(600_000)
  DB_CONNECT_TIMEOUT_MS = 5000;

  /** The server cancels a statement running longer (ms). */
  @Transform(toInt) @IsInt({ message: 'DB_STATEMENT_TIMEOUT_MS must be a number of milliseconds' }) @Min(100) @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 5000;

  /** The server ends a transaction left idle this long, releasing its locks (ms). */
  @Transform(toInt) @IsInt({ message: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS must be a number of milliseconds' }) @Min(100) @Max(3_600_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

  /** How often each instance proves its LISTEN/NOTIFY channel delivers (ms). */
  @Transform(toInt) @IsInt({ message: 'CLUSTER_HEARTBEAT_MS must be a number of milliseconds' }) @Min(100) @Max(60_000)
  CLUSTER_HEARTBEAT_MS = 1000;

  /** How long a heartbeat may take to come back before the channel is distrusted (ms). */
  @Transform(toInt) @IsInt({ message: 'CLUSTER_HEARTBEAT_TIMEOUT_MS must be a number of milliseconds' }) @Min(100) @Max(60_000)
  CLUSTER_HEARTBEAT_TIMEOUT_MS = 2000;

  /** A Redis command that has no answer after this long fails (ms). */
  @Transform(toInt) @IsInt({ message: 'REDIS_COMMAND_TIMEOUT_MS must be a number of milliseconds' }) @Min(50) @Max(600_000)
  REDIS_COMMAND_TIMEOUT_MS = 1000;

  /** A request whose headers and body have not all arrived after this long is dropped (ms). */
  @Transform(toInt) @IsInt({ message: 'REQUEST_TIMEOUT_MS must be a number of milliseconds' }) @Min(1000) @Max(3_600_000)
  REQUEST_TIMEOUT_MS = 30_000;

  /** How long start-up keeps retrying an unreachable PostgreSQL or Redis. */
  @Transform(toDuration) @IsInt({ message: 'STARTUP_TIMEOUT must be a duration such as 30s' }) @Min(0) @Max(3600)
  STARTUP_TIMEOUT = 30;

  /** On SIGTERM, how long requests in flight may take before the process exits anyway. */
  @Transform(toDuration) @IsInt({ message: 'SHUTDOWN_TIMEOUT must be a duration such as 10s' }) @Min(1) @Max(600)
  SHUTDOWN_TIMEOUT = 10;

  /** SMTP server for account mail (smtp:// or smtps://, credentials in the URL); unset in development: .eml files. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^smtps?:\/\/\S+$/, { message: 'MAIL_URL must be an SMTP URL such as smtp://user:pass@mail.example.com:587' })
  MAIL_URL?: string;

  @IsString() @MinLength(3)
  MAIL_FROM = 'Gatehouse <no-reply@localhost>';

  /** The front end that receives the links in account mail (`/verify-email?token=…`). */
  @Matches(/^https?:\/\/[^\s?#]+$/, { message: 'APP_URL must be an http(s) URL without query, such as https://app.example.com' })
  APP_URL = 'http://localhost:3000';

  /** Password reset, email change and verification mail; off: those routes answer 404. */
  @Transform(toBool) @IsIn([true, false], { message: 'EMAIL_FLOWS must be on or off' })
  EMAIL_FLOWS = true;

  /** off: no verification mail; optional: sent, not enforced; required: an unverified account cannot sign in. */
  @IsIn(['off', 'optional', 'required'])
  EMAIL_VERIFICATION: 'off' | 'optional' | 'required' = 'optional';

  @Transform(toDuration) @IsInt({ message: 'PASSWORD_RESET_TTL must be a duration such as 30m' }) @Min(60) @Max(86400)
  PASSWORD_RESET_TTL = 30 * 60;

  /** How long a verification or email-change link stays valid. */
  @Transform(toDuration) @IsInt({ message: 'EMAIL_LINK_TTL must be a duration such as 24h' }) @Min(60) @Max(30 * 86400)
  EMAIL_LINK_TTL = 24 * 3600;

  /** Whether this instance delivers the outbox (every instance may; off for API-only instances). */
  @Transform(toBool) @IsIn([true, false], { message: 'MAIL_WORKER must be on or off' })
  MAIL_WORKER = true;

  /** Milliseconds between two looks at the outbox. */
  @Transform(toInt) @IsInt() @Min(10) @Max(3_600_000)
  MAIL_POLL_INTERVAL = 5000;

  /** Milliseconds before the first retry of a failed delivery; doubled at each further failure (capped at an hour). */
  @Transform(toInt) @IsInt() @Min(10) @Max(3_600_000)
  MAIL_RETRY_BASE = 30_000;

  /** Where development writes mail as .eml files when MAIL_URL is unset. */
  @IsString() @MinLength(1)
  MAIL_OUTBOX_DIR = '.data/outbox';

  /** Largest accepted request body, in bytes. */
  @Transform(toInt) @IsInt() @Min(1024) @Max(10 * 1024 * 1024)
  BODY_LIMIT = 16 * 1024;
}

/** Secrets that appear in docs, samples and tutorials; refusing them catches copy-paste deploys. */
const KNOWN_DEFAULT_SECRETS = new Set([
  'secret', 'changeme', 'change-me', 'change_me', 'changeit', 'password', 'jwt_secret', 'jwtsecret',
  'secretkey', 'secret-key', 'your-secret', 'your_secret', 'your-256-bit-secret', 'supersecret',
  'mysecret', 'default', 'test', 'development', 'gatehouse',
  'replace-me-with-at-least-32-random-bytes',
]);

/** Why a signing secret is unfit for production, or `undefined` when it is fine. */
export function weakSecretReason(name: string, secret: string | undefined): string | undefined {
  const hint = `set ${name} to at least 32 random bytes, e.g. the output of: openssl rand -base64 48`;
  if (!secret) return `${name} is required in production: ${hint}`;
  const normalised = secret.trim().toLowerCase();
  if (KNOWN_DEFAULT_SECRETS.has(normalised) || normalised.includes('change') && normalised.includes('me')) {
    return `${name} is a known placeholder value: ${hint}`;
  }
  if (Buffer.byteLength(secret, 'utf8') < 32) return `${name} is shorter than 32 bytes: ${hint}`;
  if (new Set(secret).size < 8) return `${name} has too little variety to be random: ${hint}`;
  return undefined;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * Parses and checks the environment. Throws a ConfigurationError with a single readable line
 * ("Invalid configuration: PORT must not be greater than 65535") on the first problem.
 */
export function loadEnvironment(raw: NodeJS.ProcessEnv = process.env): Environment {
  const env = plainToInstance(Environment, { ...raw }, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // A type mismatch explains more than a range check on the wrong type.
    const message = constraints.isInt ?? constraints.isIn ?? Object.values(constraints)[0] ?? `${first.property} is invalid`;
    const shown = typeof first.value === 'string' && !/SECRET|PASSWORD|_URL/.test(first.property) ? ` (got "${first.value}")` : '';
    throw new ConfigurationError(`Invalid configuration: ${message}${shown}`);
  }
  if (env.NODE_ENV === 'production') {
    const reason =
      weakSecretReason('JWT_SECRET', env.JWT_SECRET) ??
      (env.SESSION_SECRET === undefined ? undefined : weakSecretReason('SESSION_SECRET', env.SESSION_SECRET));
    if (reason) throw new ConfigurationError(`Refusing to start: ${reason}`);
  }
  if (env.NODE_ENV === 'production' && !env.DATABASE_URL && env.EMBEDDED_DATABASE !== true) {
    // The embedded server keeps its data inside the checkout: fine for a laptop, not for a deploy.
    throw new ConfigurationError('Refusing to start: DATABASE_URL is required in production (or set EMBEDDED_DATABASE=true to use the embedded PostgreSQL on purpose)');
  }
  if (env.EMAIL_VERIFICATION === 'required' && !env.EMAIL_FLOWS) {
    throw new ConfigurationError('Invalid configuration: EMAIL_VERIFICATION=required needs EMAIL_FLOWS=on (the verification mail)');
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    throw new ConfigurationError('Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return env;
}
