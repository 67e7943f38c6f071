import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { AppError } from '../../core/http/app-error.js';

const TOTP_CODE = /^\d{6}$/;
const RECOVERY_CODE = /^[0-9A-Za-z -]{10,16}$/;
const MFA_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class MfaSetupDto {
  @ApiProperty({ description: 'The account password, entered again' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;
}

export class MfaCodeDto {
  @ApiProperty({ example: '123456', description: 'The 6-digit code the authenticator app shows now' })
  @Matches(TOTP_CODE, { message: 'code must be 6 digits' })
  code: string;
}

export class MfaDisableDto {
  @ApiProperty({ description: 'The account password, entered again' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;

  @ApiPropertyOptional({ example: '123456', description: 'A current TOTP code; send this or `recoveryCode` (lost device)' })
  @ValidateIf((body: MfaDisableDto) => body.recoveryCode === undefined || body.code !== undefined)
  @Matches(TOTP_CODE, { message: 'code must be 6 digits (or send recoveryCode instead)' })
  code?: string;

  @ApiPropertyOptional({ example: 'k3x9p-7hq2m', description: 'One of the recovery codes, used up by this' })
  @IsOptional()
  @ValidateIf((body: MfaDisableDto) => body.code === undefined)
  @Matches(RECOVERY_CODE, { message: 'recoveryCode is malformed' })
  recoveryCode?: string;
}

/** Exactly one of a TOTP code and a recovery code. */
export type SecondFactorProof = { code: string; recoveryCode?: undefined } | { code?: undefined; recoveryCode: string };

export function secondFactorProof(body: { code?: string; recoveryCode?: string }): SecondFactorProof {
  if (body.code !== undefined && body.recoveryCode === undefined) return { code: body.code };
  if (body.recoveryCode !== undefined && body.code === undefined) return { recoveryCode: body.recoveryCode };
  throw new AppError('VALIDATION_FAILED', ['send either code or recoveryCode']);
}

export class MfaVerifyDto {
  @ApiProperty({ description: 'From the login answer `{ mfaRequired: true, mfaToken }`; single use, valid 5 minutes' })
  @Matches(MFA_TOKEN, { message: 'mfaToken is malformed' })
  mfaToken: string;

  @ApiPropertyOptional({ example: '123456', description: 'A TOTP code; send this or `recoveryCode`' })
  @ValidateIf((body: MfaVerifyDto) => body.recoveryCode === undefined || body.code !== undefined)
  @Matches(TOTP_CODE, { message: 'code must be 6 digits (or send recoveryCode instead)' })
  code?: string;

  @ApiPropertyOptional({ example: 'k3x9p-7hq2m', description: 'One of the recovery codes; each works once' })
  @IsOptional()
  @ValidateIf((body: MfaVerifyDto) => body.code === undefined)
  @Matches(RECOVERY_CODE, { message: 'recoveryCode is malformed' })
  recoveryCode?: string;
}

export class MfaSetupResponse {
  @ApiProperty({ description: 'Base32 secret, for typing into an authenticator app by hand' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/Gatehouse:ada%40example.com?issuer=Gatehouse&secret=…&algorithm=SHA1&digits=6&period=30' })
  otpauthUrl: string;

  @ApiProperty({ description: 'The otpauth URL as a QR code, an SVG document' })
  qrSvg: string;
}

export class RecoveryCodesResponse {
  @ApiProperty({ type: [String], minItems: 10, maxItems: 10, description: 'Shown once; each works once in place of a code' })
  recoveryCodes: string[];
}

export const MFA_METHODS = ['totp', 'recovery_code'] as const;

/** What a login route answers for an account with MFA: no credential yet. */
export class MfaChallengeResponse {
  @ApiProperty({ enum: [true] })
  mfaRequired: true;

  @ApiProperty({ description: 'Send it with a code to POST /auth/mfa/verify within 5 minutes' })
  mfaToken: string;

  @ApiProperty({ enum: MFA_METHODS, isArray: true })
  methods: Array<(typeof MFA_METHODS)[number]>;
}
