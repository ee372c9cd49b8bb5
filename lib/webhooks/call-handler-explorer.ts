import { Injectable, type LoggerService } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { ExotelCallKind } from '../options/webhook-routes.js';
import type { ExotelCallEvent } from './exotel-call-event.js';
import { ExotelCallHandler } from './on-exotel-call.decorator.js';

/** A discovered `@OnExotelCall` method, named `Class.method` in logs and dedupe keys. */
export interface CallHandler {
  readonly name: string;
  readonly kinds: readonly ExotelCallKind[];
  invoke(event: ExotelCallEvent): unknown;
}

/**
 * Finds `@OnExotelCall` methods on every provider and controller, the way @nestjs/event-emitter
 * finds `@OnEvent`: DiscoveryService for the instances, MetadataScanner for their methods.
 */
@Injectable()
export class CallHandlerExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  explore(logger: LoggerService): CallHandler[] {
    const handlers: CallHandler[] = [];
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const seen = new Set<object>();
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias || seen.has(instance)) continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const kinds = this.discovery.getMetadataByDecorator(ExotelCallHandler, wrapper, method);
        if (!kinds) continue;
        const name = uniqueName(`${instance.constructor.name}.${method}`, handlers);
        if (!wrapper.isDependencyTreeStatic()) {
          logger.warn(`@OnExotelCall ${name} is on a request-scoped provider and is never called`);
          continue;
        }
        const fn = instance[method] as (event: ExotelCallEvent) => unknown;
        handlers.push({ name, kinds, invoke: (event) => fn.call(instance, event) });
      }
    }
    return handlers;
  }
}

/**
 * The name is the handler's dedupe identity, so two classes of one name (or one class provided
 * twice) must not share it, or the second would see every notification as a duplicate. Discovery
 * order follows the module graph, so replicas of one app number them alike.
 */
function uniqueName(name: string, taken: readonly CallHandler[]): string {
  const names = new Set(taken.map((h) => h.name));
  let unique = name;
  for (let n = 2; names.has(unique); n++) unique = `${name}#${n}`;
  return unique;
}
