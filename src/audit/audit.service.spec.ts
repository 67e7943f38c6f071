import type { Repository } from 'typeorm';
import { AuditEventType } from './audit-event-type.enum.js';
import type { AuditEvent } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

function serviceWith(insert: (event: Partial<AuditEvent>) => Promise<unknown>) {
  const repository = { insert } as unknown as Repository<AuditEvent>;
  return new AuditService(repository);
}

describe('AuditService.record', () => {
  it('never fails the request it records, even when the database does', async () => {
    const audit = serviceWith(async () => {
      throw new Error('connection refused');
    });
    await expect(audit.record({ type: AuditEventType.LoginSucceeded, userId: 'u1' })).resolves.toBeUndefined();
  });

  it('drops anything that looks like a credential from the details and bounds client fields', async () => {
    const saved: Array<Partial<AuditEvent>> = [];
    const audit = serviceWith(async (event) => saved.push(event));
    await audit.record({
      type: AuditEventType.LoginFailed,
      client: { ip: '1'.repeat(100), userAgent: 'x'.repeat(1000) },
      details: { reason: 'wrong_password', password: 'hunter2', refreshToken: 'abc', csrf_secret: 's', passwordHash: '$2b$' },
    });
    expect(saved[0].details).toEqual({ reason: 'wrong_password' });
    expect(saved[0].ip).toHaveLength(64);
    expect(saved[0].userAgent).toHaveLength(256);
  });

  it('drops credential-looking keys at every depth, and details nested too deep', async () => {
    const saved: Array<Partial<AuditEvent>> = [];
    const audit = serviceWith(async (event) => saved.push(event));
    await audit.record({
      type: AuditEventType.RoleChanged,
      details: { from: 'user', meta: { accessToken: 'eyJ', ids: [{ id: 1, secret: 's' }] }, a: { b: { c: { d: { e: 1 } } } } },
    });
    expect(saved[0].details).toEqual({ from: 'user', meta: { ids: [{ id: 1 }] }, a: { b: { c: { d: null } } } });
  });

  it('never rejects, even when the details cannot be walked', async () => {
    const saved: Array<Partial<AuditEvent>> = [];
    const audit = serviceWith(async (event) => saved.push(event));
    const hostile = Object.defineProperty({}, 'reason', { enumerable: true, get: () => { throw new Error('boom'); } });
    await expect(audit.record({ type: AuditEventType.LoginFailed, details: hostile })).resolves.toBeUndefined();
    expect(saved).toHaveLength(0);
  });
});
