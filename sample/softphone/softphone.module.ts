import { Module } from '@nestjs/common';
import { SoftphoneController } from './softphone.controller.js';
import { SoftphoneService } from './softphone.service.js';
import { WebSdkController } from './websdk.controller.js';

@Module({ controllers: [SoftphoneController, WebSdkController], providers: [SoftphoneService] })
export class SoftphoneModule {}
