import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PaginationQuery } from '../../core/http/pagination.dto.js';
import { AuditEventType } from '../audit-event-type.enum.js';

export class AuditQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid', example: '00000000-0000-4000-8000-000000000000' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: AuditEventType })
  @IsOptional()
  @IsEnum(AuditEventType, { message: `type must be one of: ${Object.values(AuditEventType).join(', ')}` })
  type?: AuditEventType;
}
