import { bytesFromJsonCache } from '../../codecs';

/**
 * The bytes of a BLOB as the drivers return it (a Buffer or other Uint8Array, an ArrayBuffer), or
 * as TypeORM's JSON result cache gives it back; undefined for anything else.
 *
 * @example
 * blobBytes(new Uint8Array([0, 0, 0x80, 0x3f]).buffer); // Uint8Array [0, 0, 128, 63]
 * blobBytes('[1,2]'); // undefined
 */
export function blobBytes(raw: unknown): Uint8Array | undefined {
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return bytesFromJsonCache(raw);
}
