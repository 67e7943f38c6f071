import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClusterModule } from '../core/cluster/cluster.module.js';
import { CookieSessionStore } from './cookie-session.store.js';
import { RevocationList } from './revocation-list.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Session]), ClusterModule],
  providers: [SessionsService, RevocationList, CookieSessionStore],
  exports: [SessionsService, RevocationList, CookieSessionStore],
})
export class SessionsModule {}
