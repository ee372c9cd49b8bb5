// Older apps resolve modules with `moduleResolution: node10`, which ignores "exports": the subpaths'
// types must still resolve (through "typesVersions").
import { TokenService } from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { bootWithFakeExotel } from 'nestjs-exotel-webrtc/testing';

export const entries: [typeof TokenService, typeof RedisTokenStore, typeof bootWithFakeExotel] = [
  TokenService,
  RedisTokenStore,
  bootWithFakeExotel,
];
