import { ApiProperty } from '@nestjs/swagger';
import type { Session } from '../../sessions/session.entity.js';

export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['token', 'cookie'] })
  kind: string;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  lastUsedAt: Date;

  @ApiProperty()
  expiresAt: Date;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ description: 'true for the session making this request' })
  current: boolean;

  static from(session: Session, currentSessionId: string): SessionResponse {
    return Object.assign(new SessionResponse(), {
      id: session.id,
      kind: session.kind,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      expiresAt: session.expiresAt,
      ip: session.ip,
      userAgent: session.userAgent,
      current: session.id === currentSessionId,
    });
  }
}
