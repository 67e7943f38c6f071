import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ClusterModule } from '../core/cluster/cluster.module.js';
import { DependencyHealth } from './dependency-health.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ClusterModule],
  controllers: [HealthController],
  providers: [DependencyHealth],
})
export class HealthModule {}
