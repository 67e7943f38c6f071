import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { ClientInfo } from '../core/http/client-info.decorator.js';
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
      // insert(), not save(): one INSERT, where save() wraps it in a transaction of its own
      // (three round trips on every login).
      await this.events.insert({
        type: event.type,
        userId: event.userId ?? null,
        actorId: event.actorId ?? null,
        ip: event.client?.ip?.slice(0, 64) ?? null,
        userAgent: event.client?.userAgent?.slice(0, 256) ?? null,
        details: event.details ? (withoutSecrets(event.details, 0) as Record<string, unknown>) : null,
      } as QueryDeepPartialEntity<AuditEvent>);
    } catch (error) {
      // Only the message: String() on an arbitrary thrown value could itself throw.
      this.logger.warn(`Could not record audit event ${event.type}: ${error instanceof Error ? error.message : 'non-Error thrown'}`);
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

/** Details are small; anything nested deeper than this is dropped rather than inspected. */
const MAX_DETAILS_DEPTH = 4;

/** Removes secret-looking keys at every level, so `{ meta: { token } }` cannot slip through. */
function withoutSecrets(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth >= MAX_DETAILS_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, nested]) => [key, withoutSecrets(nested, depth + 1)]),
  );
}
