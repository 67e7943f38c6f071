import { Controller, Get, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../access/auth-user.js';
import { Client } from '../core/http/client-info.decorator.js';
import { CurrentUser } from '../access/decorators/current-user.decorator.js';
import { AdminOnly } from '../access/decorators/roles.decorator.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
import { Public } from '../access/decorators/public.decorator.js';
import { KeyRing } from './key-ring.service.js';

class JwksResponse {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Public keys (RFC 7517) that may have signed a live token' })
  keys: object[];
}

class RotatedKeyResponse {
  @ApiProperty()
  kid: string;

  @ApiProperty({ enum: ['ES256', 'RS256'] })
  algorithm: string;

  @ApiProperty()
  createdAt: Date;
}

@ApiTags('keys')
@Controller()
export class KeysController {
  constructor(private readonly keys: KeyRing) {}

  /** Lets other services verify Gatehouse tokens with nothing but this document. */
  @Public()
  @Get('.well-known/jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ type: JwksResponse, description: 'Empty with HS256: a shared secret is never published' })
  jwks(): JwksResponse {
    return this.keys.jwks();
  }

  @AdminOnly()
  @Post('admin/keys/rotate')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RotatedKeyResponse, description: 'The new current key, on every instance at once; earlier keys verify until their tokens expire' })
  @ApiConflictResponse({ description: 'JWT_ALGORITHM is HS256: rotate JWT_SECRET instead' })
  async rotate(@CurrentUser() admin: AuthUser, @Client() client: ClientInfo): Promise<RotatedKeyResponse> {
    const key = await this.keys.rotate({ id: admin.userId, client });
    return { kid: key.kid, algorithm: key.algorithm, createdAt: key.createdAt };
  }
}
