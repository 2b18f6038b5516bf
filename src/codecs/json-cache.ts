/**
 * TypeORM's query-result cache (`.cache(true)`) stores raw rows as JSON, so a cached vector comes
 * back as JSON's image of what the driver returned: a Buffer as `{ type: 'Buffer', data: [...] }`,
 * a Float32Array as an object keyed `"0"`, `"1"`, .... These read such values back.
 *
 * @example
 * bytesFromJsonCache(JSON.parse(JSON.stringify(Buffer.from([0, 0, 0x80, 0x3f])))); // Uint8Array [0, 0, 128, 63]
 */
export function bytesFromJsonCache(raw: unknown): Uint8Array | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, data } = raw as { type?: unknown; data?: unknown };
  if (type !== 'Buffer' || !Array.isArray(data) || !data.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) return undefined;
  return Uint8Array.from(data as number[]);
}

/**
 * The numbers of a Float32Array that went through JSON (`{"0":1,"1":2}`), or undefined.
 *
 * @example
 * floatsFromJsonCache(JSON.parse(JSON.stringify(new Float32Array([1, 2])))); // Float32Array [1, 2]
 */
export function floatsFromJsonCache(raw: unknown): Float32Array | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>);
  if (!entries.every(([key, value], index) => key === String(index) && typeof value === 'number')) return undefined;
  return Float32Array.from(entries.map(([, value]) => value as number));
}
