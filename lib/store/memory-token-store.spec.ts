import { describe, expect, it } from '@jest/globals';
import { MemoryTokenStore } from './memory-token-store.js';
import { isNewer, isTokenStore, type StoredToken, TokenStore } from './token-store.js';

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
    expect(await store.read('k')).toEqual({ ...record('older', 1_000_000), version: 1 });
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

describe('MemoryTokenStore versions and refusals (the same contract as RedisTokenStore)', () => {
  it('gives each write the next version, and writeIfUnchanged is a compare-and-set on it', async () => {
    const store = new MemoryTokenStore();
    expect(await store.writeIfUnchanged('k', record('first', 2_000_000), { version: 0 })).toBe(true);
    expect(await store.read('k')).toEqual({ ...record('first', 2_000_000), version: 1 });
    // Based on a record that has been replaced since: refused, whatever its expiry.
    expect(await store.writeIfUnchanged('k', record('stale', 9_000_000), { version: 0 })).toBe(false);
    // Based on the current record: written, even with an earlier expiry (a replica whose clock is behind).
    expect(await store.writeIfUnchanged('k', record('behind', 1_000_000), { version: 1 })).toBe(true);
    expect(await store.read('k')).toEqual({ ...record('behind', 1_000_000), version: 2 });
    expect(await store.writeIfNewer('k', record('newer', 3_000_000))).toBe(true);
    expect((await store.read('k'))?.version).toBe(3);
  });

  it('marks a record refused only while it holds that token; the mark keeps the version and goes with the next write', async () => {
    const store = new MemoryTokenStore();
    await store.writeIfUnchanged('k', record('refused', 2_000_000), { version: 0 });
    await store.reject('k', 'another-token');
    expect((await store.read('k'))?.rejected).toBeUndefined();
    await store.reject('k', 'refused');
    expect(await store.read('k')).toEqual({ ...record('refused', 2_000_000), version: 1, rejected: true });
    await store.reject('never-written', 'refused');
    expect(await store.writeIfUnchanged('k', record('next', 2_000_000), { version: 1 })).toBe(true);
    expect(await store.read('k')).toEqual({ ...record('next', 2_000_000), version: 2 });
  });
});

describe('TokenStore defaults for stores without versions', () => {
  class LegacyStore extends TokenStore {
    readonly records = new Map<string, StoredToken>();
    deletes = 0;
    async read(key: string): Promise<StoredToken | undefined> {
      return this.records.get(key);
    }
    async writeIfNewer(key: string, rec: StoredToken): Promise<boolean> {
      const current = this.records.get(key);
      if (current && current.expiresAt >= rec.expiresAt) return false;
      this.records.set(key, rec);
      return true;
    }
    async acquireLease(): Promise<boolean> {
      return true;
    }
    async releaseLease(): Promise<void> {}
    override async delete(key: string): Promise<void> {
      this.deletes++;
      this.records.delete(key);
    }
  }

  it('writeIfUnchanged falls back to writeIfNewer, deleting first a record the writer judged invalid', async () => {
    const store = new LegacyStore();
    await store.writeIfNewer('k', record('poisoned', 9_000_000_000));
    expect(await store.writeIfUnchanged('k', record('minted', 2_000_000), { version: 0 })).toBe(false);
    expect(store.deletes).toBe(0);
    expect(
      await store.writeIfUnchanged('k', record('minted', 2_000_000), { version: 0, invalid: true }),
    ).toBe(true);
    expect(store.deletes).toBe(1);
    expect((await store.read('k'))?.token).toBe('minted');
  });

  it('reject does nothing and does not fail; waitForNewer compares expiresAt without versions', async () => {
    const store = new LegacyStore();
    await store.writeIfNewer('k', record('tok', 2_000_000));
    await expect(store.reject('k', 'tok')).resolves.toBeUndefined();
    expect((await store.read('k'))?.rejected).toBeUndefined();
    expect(await store.waitForNewer('k', 1_000_000, 0, 5)).toEqual(record('tok', 2_000_000));
  });

  it('isNewer: by version when both sides have one, else by expiresAt', () => {
    expect(isNewer({ ...record('t', 1), version: 3 }, 10, 2)).toBe(true);
    expect(isNewer({ ...record('t', 100), version: 2 }, 10, 2)).toBe(false);
    expect(isNewer(record('t', 100), 10, 2)).toBe(true);
    expect(isNewer({ ...record('t', 1), version: 3 }, 10)).toBe(false);
  });
});
