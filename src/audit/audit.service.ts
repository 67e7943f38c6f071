import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ClientInfo } from '../sessions/sessions.service.js';
import { AuditEventType } from './audit-event-type.enum.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditRecord {
  type: AuditEventType;
  userId?: string | null;
  actorId?: string | null;
  client?: Partial<ClientInfo>;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  userId?: string;
  type?: AuditEventType;
  page: number;
  limit: number;
}

/** Keys that must never reach the trail, whatever a caller passes. */
const SECRET_KEY = /password|token|secret|hash|cookie|authorization/i;

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /**
   * Appends an event. It never throws: losing an audit line must not fail the login or logout it
   * describes. A failure is logged (without the details).
   */
  async record(event: AuditRecord): Promise<void> {
    try {
      await this.events.save(
        this.events.create({
          type: event.type,
          userId: event.userId ?? null,
          actorId: event.actorId ?? null,
          ip: event.client?.ip?.slice(0, 64) ?? null,
          userAgent: event.client?.userAgent?.slice(0, 256) ?? null,
          details: event.details ? withoutSecrets(event.details) : null,
        }),
      );
    } catch (error) {
      this.logger.warn(`Could not record audit event ${event.type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async list(filter: AuditFilter): Promise<{ items: AuditEvent[]; total: number }> {
    const where = {
      ...(filter.userId ? { userId: filter.userId } : {}),
      ...(filter.type ? { type: filter.type } : {}),
    };
    const [items, total] = await this.events.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
    return { items, total };
  }
}

function withoutSecrets(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => !SECRET_KEY.test(key)));
}
