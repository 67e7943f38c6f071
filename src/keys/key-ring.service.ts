import { createHash, generateKeyPairSync, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AuditEventType } from '../audit/audit-event-type.enum.js';
import { AuditService } from '../audit/audit.service.js';
import { authConfig, type AuthConfig } from '../core/config/auth.config.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { deriveKey } from '../core/config/derive-key.js';
import { ClusterChannel } from '../core/cluster/cluster-channel.js';
import { open, seal } from '../core/crypto/key-encryption.js';
import { AppError } from '../core/http/app-error.js';

export type JwtAlgorithm = AuthConfig['jwtAlgorithm'];

export interface SigningKey {
  kid: string;
  algorithm: JwtAlgorithm;
  /**
   * Signs (the private key; for HS256 the shared secret). Only the current key is decrypted, and
   * it stays undefined when JWT_SECRET changed since the key was made: a new key is then made.
   */
  signingKey?: KeyObject;
  /** Verifies (the public key; for HS256 the shared secret). */
  verificationKey: KeyObject;
  /** Published in the JWKS; absent for HS256, whose key is secret. */
  publicJwk?: JsonWebKey;
  createdAt: Date;
  retiredAt: Date | null;
}

interface KeyRow {
  kid: string;
  algorithm: JwtAlgorithm;
  public_jwk: JsonWebKey;
  private_key_encrypted: string;
  created_at: Date;
  retired_at: Date | null;
}

/** The cluster topic announcing that a new signing key became current. */
export const KEYS_CHANNEL = 'gatehouse_keys';

/** At most one reload for an unknown kid per this many ms: random kids cannot hammer the database. */
const UNKNOWN_KID_RELOAD_MS = 1000;

/**
 * The keys that sign and verify access tokens. Every token names its key in `kid`.
 *
 * HS256 uses one key derived from JWT_SECRET. ES256 and RS256 use key pairs the server generates
 * and keeps in `signing_keys`, private keys encrypted at rest. Rotation makes a new key current on
 * every instance within milliseconds (a message on the cluster channel); earlier keys keep verifying
 * until every token they signed has expired, then leave the JWKS.
 */
@Injectable()
export class KeyRing implements OnModuleInit {
  private readonly logger = new Logger(KeyRing.name);
  private keys = new Map<string, SigningKey>();
  private currentKey: SigningKey;
  private lastUnknownKidReload = 0;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: ClusterChannel,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {
    channel.subscribe(KEYS_CHANNEL, {
      message: () => void this.reload().catch((error: unknown) => this.logger.error(`Key reload failed: ${String(error)}`)),
      // A rotation may have been announced while this instance was not listening.
      resync: () => this.reload(),
    });
  }

  get asymmetric(): boolean {
    return this.config.jwtAlgorithm !== 'HS256';
  }

  async onModuleInit(): Promise<void> {
    if (!this.asymmetric) {
      const key = this.config.jwtKey;
      // The kid names the secret without revealing anything about it.
      const kid = createHash('sha256').update(deriveKey(this.config.jwtSecret, 'key id v1').export()).digest('base64url').slice(0, 16);
      this.currentKey = { kid, algorithm: 'HS256', signingKey: key, verificationKey: key, createdAt: new Date(0), retiredAt: null };
      this.keys = new Map([[kid, this.currentKey]]);
      return;
    }
    await this.reload();
    if (!this.currentKey?.signingKey) {
      await this.replaceCurrentKey();
      await this.reload();
    }
  }

  current(): SigningKey & { signingKey: KeyObject } {
    return this.currentKey as SigningKey & { signingKey: KeyObject };
  }

  /** The key a token names, if it may still verify; one reload when the kid is unknown. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const known = this.usable(this.keys.get(kid));
    if (known || !this.asymmetric || Date.now() - this.lastUnknownKidReload < UNKNOWN_KID_RELOAD_MS) return known?.verificationKey;
    // Possibly a key another instance made current a moment ago.
    this.lastUnknownKidReload = Date.now();
    await this.reload();
    return this.usable(this.keys.get(kid))?.verificationKey;
  }

  /** The public keys a token may currently be signed with: the JWKS. */
  jwks(): { keys: JsonWebKey[] } {
    return {
      keys: [...this.keys.values()]
        .filter((key) => key.publicJwk && this.usable(key))
        .map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.algorithm, use: 'sig' })),
    };
  }

  /** Retires the current key and makes a new one current, here and on every instance. */
  async rotate(actor: { id: string; client: ClientInfo }): Promise<SigningKey> {
    if (!this.asymmetric) {
      throw new AppError('KEYS_ROTATION_UNSUPPORTED', 'Key rotation needs JWT_ALGORITHM ES256 or RS256; with HS256, rotate JWT_SECRET instead');
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query('UPDATE signing_keys SET retired_at = now() WHERE algorithm = $1 AND retired_at IS NULL', [this.config.jwtAlgorithm]);
      await manager.query(...this.insertStatement());
      await this.channel.publish(manager, KEYS_CHANNEL, this.config.jwtAlgorithm);
    });
    await this.reload();
    this.logger.log(`Signing key rotated; current kid is ${this.currentKey.kid}`);
    await this.audit.record({ type: AuditEventType.KeysRotated, actorId: actor.id, client: actor.client, details: { kid: this.currentKey.kid } });
    return this.currentKey;
  }

  /**
   * Reads the keys of the configured algorithm that may still verify a token. Reloads run one at
   * a time, each after the previous, so a slow one can never overwrite a newer result.
   */
  @Interval('key-ring-refresh', 60_000)
  reload(): Promise<void> {
    const next = this.reloading.then(() => this.load());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    if (!this.asymmetric) return;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT kid, algorithm, public_jwk, private_key_encrypted, created_at, retired_at FROM signing_keys
        WHERE algorithm = $1 AND (retired_at IS NULL OR retired_at > now() - make_interval(secs => $2))`,
      [this.config.jwtAlgorithm, this.retentionSeconds],
    );
    const keys = new Map<string, SigningKey>();
    // Known keys are kept (decrypting is not free); a retired one gets its new retiredAt.
    for (const row of rows) {
      const known = this.keys.get(row.kid);
      keys.set(row.kid, known ? { ...known, retiredAt: row.retired_at ? new Date(row.retired_at) : null } : this.fromRow(row));
    }
    this.keys = keys;
    const current = rows.find((row) => row.retired_at === null);
    if (current) this.currentKey = keys.get(current.kid) as SigningKey;
  }

  /** A retired key verifies for as long as a token it signed can live. */
  private get retentionSeconds(): number {
    return this.config.lateTokenWindowSeconds;
  }

  private usable(key: SigningKey | undefined): SigningKey | undefined {
    if (!key || key.retiredAt === null) return key;
    return key.retiredAt.getTime() + this.retentionSeconds * 1000 > Date.now() ? key : undefined;
  }

  /**
   * Makes a key current when there is none, or when the current one cannot be decrypted (the
   * secret changed): that one is retired, and keeps verifying its tokens with its public key
   * until they expire. The partial unique index lets exactly one of several starting instances
   * insert the new key; the others load it.
   */
  private async replaceCurrentKey(): Promise<void> {
    const unusable = this.currentKey?.kid;
    if (unusable) {
      this.logger.warn(`Signing key ${unusable} cannot be decrypted with this JWT_SECRET; retiring it and making a new one`);
      await this.dataSource.query('UPDATE signing_keys SET retired_at = now() WHERE kid = $1 AND retired_at IS NULL', [unusable]);
    }
    const [sql, parameters] = this.insertStatement();
    await this.dataSource.query(`${sql} ON CONFLICT DO NOTHING`, parameters);
  }

  private insertStatement(): [string, unknown[]] {
    const { privateKey, publicKey } =
      this.config.jwtAlgorithm === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicJwk = publicKey.export({ format: 'jwk' });
    const kid = thumbprint(publicJwk);
    const encrypted = seal(privateKey.export({ format: 'der', type: 'pkcs8' }), this.config.keyEncryptionKey, kid);
    return [
      'INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key_encrypted) VALUES ($1, $2, $3, $4)',
      [kid, this.config.jwtAlgorithm, publicJwk, encrypted],
    ];
  }

  /** The decrypted private key, or undefined when it was sealed under another JWT_SECRET. */
  private openPrivateKey(row: KeyRow): KeyObject | undefined {
    try {
      return createPrivateKey({ key: open(row.private_key_encrypted, this.config.keyEncryptionKey, row.kid), format: 'der', type: 'pkcs8' });
    } catch {
      return undefined;
    }
  }

  private fromRow(row: KeyRow): SigningKey {
    return {
      kid: row.kid,
      algorithm: row.algorithm,
      signingKey: row.retired_at === null ? this.openPrivateKey(row) : undefined,
      verificationKey: createPublicKey({ key: row.public_jwk, format: 'jwk' }),
      publicJwk: row.public_jwk,
      createdAt: new Date(row.created_at),
      retiredAt: row.retired_at ? new Date(row.retired_at) : null,
    };
  }
}

/** RFC 7638 JWK thumbprint: the key's own fingerprint, so a kid can never name two keys. */
function thumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
