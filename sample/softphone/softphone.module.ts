import { Module } from '@nestjs/common';
import { SoftphoneController } from './softphone.controller.js';
import { SoftphoneService } from './softphone.service.js';

@Module({ controllers: [SoftphoneController], providers: [SoftphoneService] })
export class SoftphoneModule {}
