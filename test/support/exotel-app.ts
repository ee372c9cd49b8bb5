import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { ExotelWebrtcModule, type ExotelWebrtcModuleOptions, TokenService } from 'nestjs-exotel-webrtc';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';

export interface FakeWorld {
  fake: FakeExotelServer;
  customer: { id: string; secret: string };
  app: { id: string; secret: string };
  support: { id: string; secret: string };
}

/** A started fake Exotel with one customer and two apps (`default` and `support`). */
export async function startFakeWorld(
  options: ConstructorParameters<typeof FakeExotelServer>[0] = {},
): Promise<FakeWorld> {
  const fake = await new FakeExotelServer(options).start();
  const customer = fake.addCustomer();
  const app = fake.addApp(customer.id);
  const support = fake.addApp(customer.id, { name: 'support' });
  return { fake, customer, app, support };
}

/** Builds and initialises a Nest app that imports the module with `options`. */
export async function createExotelApp(
  options: ExotelWebrtcModuleOptions,
  customise: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  init = true,
): Promise<{ app: INestApplication; tokens: TokenService }> {
  const moduleRef = await customise(
    Test.createTestingModule({ imports: [ExotelWebrtcModule.forRoot(options)] }),
  ).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (init) await app.init();
  return { app, tokens: app.get(TokenService) };
}

/** Module options for a fake world: its customer, its default app and the `support` app, quiet logs. */
export function worldOptions(
  world: FakeWorld,
  extra: Partial<ExotelWebrtcModuleOptions> = {},
): ExotelWebrtcModuleOptions {
  return {
    baseUrl: world.fake.baseUrl,
    customer: world.customer,
    app: world.app,
    apps: { support: world.support },
    logger: false,
    ...extra,
  };
}

/** A fresh fake world and an initialised Nest app configured for all of its credentials. */
export async function startExotelWorld(
  extra: Partial<ExotelWebrtcModuleOptions> = {},
): Promise<{ world: FakeWorld; app: INestApplication; tokens: TokenService }> {
  const world = await startFakeWorld();
  const { app, tokens } = await createExotelApp(worldOptions(world, extra));
  return { world, app, tokens };
}
