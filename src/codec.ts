import { pack, unpack } from 'msgpackr';
import { OrdoError } from './errors.ts';
import { MSGPACK_CONTENT_TYPE } from './headers.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Decodes a message body: MessagePack when `contentType` names it, JSON (UTF-8) otherwise. */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): unknown {
  if (isMsgpack(contentType)) {
    try {
      return unpack(bytes);
    } catch (cause) {
      throw new OrdoError('ERR_MESSAGE_UNDECODABLE', `Message body of ${bytes.length} bytes is not valid MessagePack: ${(cause as Error).message}`, { cause });
    }
  }

  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    const preview = new TextDecoder('utf-8').decode(bytes.subarray(0, 60));
    throw new OrdoError('ERR_MESSAGE_UNDECODABLE', `Message body is not valid UTF-8 JSON (starts ${JSON.stringify(preview)}); send JSON or set Content-Type: ${MSGPACK_CONTENT_TYPE}.`, { cause });
  }
}

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function encodeMsgpack(value: unknown): Uint8Array {
  return pack(value);
}

function isMsgpack(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().split(';')[0]!.trim() === MSGPACK_CONTENT_TYPE;
}
