import { expect, it } from '@jest/globals';
import { MemoryTokenStore, type StoredToken, TokenStore } from 'nestjs-exotel-webrtc';
import { CallDelivery } from '../../lib/webhooks/call-delivery.js';
import { startFakeWorld, worldOptions } from '../support/exotel-app.js';
import { newSecret, notification, post, startWebhookApp } from './webhook-app.js';

/** A shared store (not a MemoryTokenStore, so the webhooks keep their marks in it) that records the order of calls. */
class OrderedStore extends TokenStore {
  readonly events: string[] = [];
  private readonly inner = new MemoryTokenStore();
  read(key: string) {
    return this.inner.read(key);
  }
  writeIfNewer(key: string, record: StoredToken) {
    return this.inner.writeIfNewer(key, record);
  }
  acquireLease(key: string, owner: string, ttlMs: number) {
    return this.inner.acquireLease(key, owner, ttlMs);
  }
  async releaseLease(key: string, owner: string) {
    this.events.push('release');
    return this.inner.releaseLease(key, owner);
  }
  override async close() {
    this.events.push('close');
  }
}

// The webhooks module is global, so Nest destroys it after the core module. A handler that fails in the
// background during that wait must still find the store open to release its dedupe mark; otherwise the
// mark outlives the failure and every replica answers Exotel's redelivery `duplicate`.
it('closes the token store only after the webhooks released the marks of handlers failing at shutdown', async () => {
  const world = await startFakeWorld();
  const store = new OrderedStore();
  const hooks = await startWebhookApp(worldOptions(world, { store }), {
    secret: newSecret(),
    handlerTimeoutMs: 1,
  });
  let openGate!: () => void;
  hooks.log.gate = new Promise<void>((resolve) => (openGate = resolve));
  hooks.log.failures = 1;
  const delivery = hooks.app.get(CallDelivery);
  const destroy = delivery.onModuleDestroy.bind(delivery);
  delivery.onModuleDestroy = async () => {
    store.events.push('webhooks-destroy');
    openGate(); // the background handler now fails, while the app shuts down
    return destroy();
  };

  const answer = await post(hooks.url('callback'), JSON.stringify(notification({ Direction: 'outbound' })));
  expect(answer.body).toContain('accepted');
  await hooks.app.close();
  await world.fake.stop();

  const afterDestroy = store.events.slice(store.events.indexOf('webhooks-destroy'));
  expect(afterDestroy).toEqual(['webhooks-destroy', 'release', 'close']);
});
