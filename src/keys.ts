import { OrdoError } from './errors.ts';

/**
 * Longest entity key accepted, in UTF-8 bytes. Encoded, a key takes up to three
 * times as many bytes in a subject token, which keeps subjects far below the
 * server's control-line limit (4 KiB) and LMDB keys below their 1,978-byte limit.
 */
export const MAX_KEY_BYTES = 256;

// Bytes kept as they are in a subject token; everything else, `~` included, is
// written as `~XX` (uppercase hex of one UTF-8 byte). CRM ids such as Salesforce's
// `0061x00000AbCdE` therefore stay readable in subjects.
const PLAIN_BYTE = /^[A-Za-z0-9_-]$/;
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Throws `OrdoError` unless `key` is a non-empty, well-formed string of at most `MAX_KEY_BYTES` bytes. */
export function validateKey(key: unknown): string {
  if (typeof key !== 'string') {
    throw new OrdoError('ERR_KEY_INVALID', `Entity key must be a string, got ${typeof key}.`);
  }
  if (key.length === 0) {
    throw new OrdoError('ERR_KEY_EMPTY', 'Entity key is empty; send the CRM record id as the key.');
  }
  if (!key.isWellFormed()) {
    throw new OrdoError('ERR_KEY_INVALID', `Entity key ${JSON.stringify(key)} contains a lone surrogate; send valid UTF-16 text.`);
  }

  const bytes = encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) {
    throw new OrdoError(
      'ERR_KEY_TOO_LONG',
      `Entity key ${JSON.stringify(key.slice(0, 40))}... is ${bytes} bytes; the maximum is ${MAX_KEY_BYTES} UTF-8 bytes.`,
    );
  }
  return key;
}

/** Encodes a valid key as one NATS subject token (no dots, spaces, `*` or `>`). */
export function encodeKeyToken(key: string): string {
  // Fast path for the common CRM id: plain ASCII is its own token and one byte per character.
  if (PLAIN_KEY.test(key) && key.length <= MAX_KEY_BYTES) return key;
  validateKey(key);

  let token = '';
  for (const byte of encoder.encode(key)) {
    const char = String.fromCharCode(byte);
    token += PLAIN_BYTE.test(char) ? char : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token;
}

/** Decodes a token made by `encodeKeyToken`; throws `OrdoError` for malformed tokens. */
export function decodeKeyToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const char = token[i]!;
    if (char === '~') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) {
        throw new OrdoError('ERR_KEY_INVALID', `Key token ${JSON.stringify(token)} has a bad escape at offset ${i}; expected ~ and two uppercase hex digits.`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (PLAIN_BYTE.test(char)) {
      bytes.push(char.charCodeAt(0));
    } else {
      throw new OrdoError('ERR_KEY_INVALID', `Key token ${JSON.stringify(token)} contains ${JSON.stringify(char)}, which the encoding never produces.`);
    }
  }

  let key: string;
  try {
    key = decoder.decode(new Uint8Array(bytes));
  } catch (cause) {
    throw new OrdoError('ERR_KEY_INVALID', `Key token ${JSON.stringify(token)} does not decode to UTF-8 text.`, { cause });
  }
  return validateKey(key);
}
