import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CookieSessionStore } from './cookie-session.store.js';
import { RevocationList } from './revocation-list.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Session])],
  providers: [SessionsService, RevocationList, CookieSessionStore],
  exports: [SessionsService, RevocationList, CookieSessionStore],
})
export class SessionsModule {}
