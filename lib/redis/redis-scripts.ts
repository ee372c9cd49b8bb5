/**
 * Lua scripts run with EVAL so that each check-and-act is atomic on the server. They are small and
 * run once per refresh cycle, so EVAL (no SCRIPT LOAD bookkeeping) is the simpler choice.
 */

/**
 * KEYS[1] record hash. ARGV: expiresAt, issuedAt, token field, key id, channel.
 * Writes only when the stored record expires earlier, or was written under another encryption key
 * (a record this replica cannot read must not block sharing until it expires). Publishes the new
 * expiresAt so waiting replicas wake up. Returns 1 when written.
 */
export const WRITE_IF_NEWER = `
local stored = redis.call('HGET', KEYS[1], 'expiresAt')
if stored and tonumber(stored) >= tonumber(ARGV[1]) and redis.call('HGET', KEYS[1], 'kid') == ARGV[4] then
  return 0
end
redis.call('HSET', KEYS[1], 'token', ARGV[3], 'issuedAt', ARGV[2], 'expiresAt', ARGV[1], 'kid', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], math.floor(tonumber(ARGV[1])))
redis.call('PUBLISH', ARGV[5], ARGV[1])
return 1
`;

/** The message RELEASE_LEASE publishes on the key's channel (a write publishes the new expiresAt instead). */
export const RELEASED_MESSAGE = 'released';

/**
 * KEYS[1] lease. ARGV[1] owner, ARGV[2] channel. Deletes the lease only when the caller still owns
 * it, and then publishes {@link RELEASED_MESSAGE}: replicas waiting for the holder's write learn at
 * once that none is coming (its mint failed, or Exotel re-sent the token already shared) and try
 * the lease themselves instead of sleeping until their wait times out.
 */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], '${RELEASED_MESSAGE}')
  return 1
end
return 0
`;
