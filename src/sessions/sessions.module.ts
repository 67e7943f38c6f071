import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RevocationList } from './revocation-list.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Session])],
  providers: [SessionsService, RevocationList],
  exports: [SessionsService, RevocationList],
})
export class SessionsModule {}
