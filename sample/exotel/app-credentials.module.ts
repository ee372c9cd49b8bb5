import { Module } from '@nestjs/common';
import { InMemoryAppCredentials } from './in-memory-app-credentials.js';

/**
 * Provides the one {@link InMemoryAppCredentials}: imported by the Exotel options factory (as the
 * library's credential source) and by the apps routes (which fill it), so both see the same instance.
 */
@Module({ providers: [InMemoryAppCredentials], exports: [InMemoryAppCredentials] })
export class AppCredentialsModule {}
