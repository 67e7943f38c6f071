import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { KeyRing } from './key-ring.service.js';
import { KeysController } from './keys.controller.js';

@Module({
  imports: [SessionsModule],
  controllers: [KeysController],
  providers: [KeyRing],
  exports: [KeyRing],
})
export class KeysModule {}
