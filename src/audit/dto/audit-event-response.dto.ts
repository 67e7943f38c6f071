import { ApiProperty } from '@nestjs/swagger';
import { AuditEventType } from '../audit-event-type.enum.js';
import type { AuditEvent } from '../audit-event.entity.js';

export class AuditEventResponse {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ enum: AuditEventType })
  type: AuditEventType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  userId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The admin who acted, if not the user' })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  details: Record<string, unknown> | null;

  @ApiProperty()
  createdAt: Date;

  static from(event: AuditEvent): AuditEventResponse {
    return Object.assign(new AuditEventResponse(), {
      id: String(event.id),
      type: event.type,
      userId: event.userId,
      actorId: event.actorId,
      ip: event.ip,
      userAgent: event.userAgent,
      details: event.details,
      createdAt: event.createdAt,
    });
  }
}

export class AuditPage {
  @ApiProperty({ type: [AuditEventResponse] })
  items: AuditEventResponse[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  limit: number;
}
