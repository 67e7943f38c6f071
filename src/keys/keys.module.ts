import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { ClusterModule } from '../core/cluster/cluster.module.js';
import { KeyRing } from './key-ring.service.js';
import { KeysController } from './keys.controller.js';
import { SigningKey } from './signing-key.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([SigningKey]), AuditModule, ClusterModule],
  controllers: [KeysController],
  providers: [KeyRing],
  exports: [KeyRing],
})
export class KeysModule {}
