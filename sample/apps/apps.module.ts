import { Module } from '@nestjs/common';
import { AppCredentialsModule } from '../exotel/app-credentials.module.js';
import { AppsController } from './apps.controller.js';
import { AppsService } from './apps.service.js';

@Module({ imports: [AppCredentialsModule], controllers: [AppsController], providers: [AppsService] })
export class AppsModule {}
