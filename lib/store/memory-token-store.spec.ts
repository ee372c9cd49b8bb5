import { describe, expect, it } from '@jest/globals';
import { MemoryTokenStore } from './memory-token-store.js';
import { isTokenStore, type StoredToken, TokenStore } from './token-store.js';

const record = (token: string, expiresAt: number): StoredToken => ({
  token,
  issuedAt: expiresAt - 60_000,
  expiresAt,
});

describe('MemoryTokenStore.delete', () => {
  it('removes the record and the lease, whoever holds it', async () => {
    const store = new MemoryTokenStore();
    await store.writeIfNewer('k', record('tok', 2_000_000));
    expect(await store.acquireLease('k', 'holder', 60_000)).toBe(true);

    await store.delete('k');

    expect(await store.read('k')).toBeUndefined();
    expect(await store.acquireLease('k', 'someone-else', 60_000)).toBe(true);
  });

  it('lets a later write with an older expiry than the deleted record in', async () => {
    const store = new MemoryTokenStore();
    await store.writeIfNewer('k', record('newer', 2_000_000));
    await store.delete('k');
    expect(await store.writeIfNewer('k', record('older', 1_000_000))).toBe(true);
    expect(await store.read('k')).toEqual(record('older', 1_000_000));
  });

  it('touches no other key, and deleting a key with nothing stored is no error', async () => {
    const store = new MemoryTokenStore();
    await store.writeIfNewer('kept', record('tok', 2_000_000));
    expect(await store.acquireLease('kept', 'holder', 60_000)).toBe(true);
    await expect(store.delete('never-written')).resolves.toBeUndefined();
    await store.delete('other');
    expect((await store.read('kept'))?.token).toBe('tok');
    expect(await store.acquireLease('kept', 'someone-else', 60_000)).toBe(false);
  });
});

describe('TokenStore.delete default', () => {
  /** A store written before delete existed: it still compiles and still counts as a store. */
  class LegacyStore extends TokenStore {
    async read(): Promise<StoredToken | undefined> {
      return undefined;
    }
    async writeIfNewer(): Promise<boolean> {
      return true;
    }
    async acquireLease(): Promise<boolean> {
      return true;
    }
    async releaseLease(): Promise<void> {}
  }

  it('rejects, naming the store class, instead of pretending the record is gone', async () => {
    const store = new LegacyStore();
    await expect(store.delete('k')).rejects.toThrow('LegacyStore does not implement delete(key)');
  });

  it('is not required by the duck-typed store check', () => {
    const { delete: _delete, ...withoutDelete } = Object.fromEntries(
      ['read', 'writeIfNewer', 'acquireLease', 'releaseLease', 'waitForNewer', 'close', 'delete'].map(
        (name) => [name, () => undefined],
      ),
    );
    expect(isTokenStore(withoutDelete)).toBe(true);
    expect(isTokenStore(new LegacyStore())).toBe(true);
  });
});
