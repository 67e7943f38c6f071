import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailDeliveryWorker } from './mail-delivery.worker.js';
import { MailOutbox } from './mail-outbox.js';
import { MailSender } from './mail-sender.js';
import { OutboxMessage } from './outbox-message.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [MailSender, MailDeliveryWorker, MailOutbox],
  exports: [MailOutbox, MailDeliveryWorker],
})
export class MailModule {}
