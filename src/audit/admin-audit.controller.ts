import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/decorators/roles.decorator.js';
import { AuditService } from './audit.service.js';
import { AuditEventResponse, AuditPage } from './dto/audit-event-response.dto.js';
import { AuditQuery } from './dto/audit-query.dto.js';

@ApiTags('admin')
@AdminOnly()
@Controller('admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'List audit events' })
  @ApiOkResponse({ type: AuditPage, description: 'Newest first' })
  @ApiBadRequestResponse({ description: 'Invalid userId, type, page or limit' })
  async list(@Query() query: AuditQuery): Promise<AuditPage> {
    const { items, total } = await this.audit.list(query);
    return { items: items.map((event) => AuditEventResponse.from(event)), total, page: query.page, limit: query.limit };
  }
}
