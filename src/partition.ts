import { encodeKeyToken } from './keys.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * Returns the partition of entity `(type, key)`. It must equal what the inbox
 * stream's `{{partition(P,1,2)}}` subject transform computes, because the server,
 * not Ordo, files each message: nats-server hashes the concatenated wildcard
 * tokens (entity type, then encoded key) with 32-bit FNV-1a and takes it modulo P.
 * A test checks this against a real server.
 */
export function partitionOf(entityType: string, key: string, partitionCount: number): number {
  return fnv1a32(encoder.encode(entityType + encodeKeyToken(key))) % partitionCount;
}

/** Returns the partition the CRM stream's `{{partition(P,3)}}` transform gives an object id token. */
export function partitionOfToken(token: string, partitionCount: number): number {
  return fnv1a32(encoder.encode(token)) % partitionCount;
}

function fnv1a32(bytes: Uint8Array): number {
  let hash = FNV_OFFSET;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}
