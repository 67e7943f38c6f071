import { Module } from '@nestjs/common';
import { ClusterChannel } from './cluster-channel.js';

/** The cross-instance message channel; one per application, shared by every feature using it. */
@Module({ providers: [ClusterChannel], exports: [ClusterChannel] })
export class ClusterModule {}
