import { decodeFloat32Blob, encodeFloat32Blob, parsePgvectorBinary, parsePgvectorText, toPgvectorText, validateVector, VectorValueError } from '../src';

describe('codecs (pure, no database)', () => {
  const values = [0, 1, -1, 0.1, 1e-38, 3.4028234663852886e38, -2.5e-8, 123456.789];

  it('float32 BLOB: little-endian, 4 bytes a value, exact float32 round trip', () => {
    const encoded = encodeFloat32Blob(validateVector(values, undefined, 'v'));
    expect(encoded.length).toBe(values.length * 4);
    expect(encoded.subarray(4, 8)).toEqual(Buffer.from([0x00, 0x00, 0x80, 0x3f]));
    expect(Array.from(decodeFloat32Blob(encoded, 'v'))).toEqual(values.map(Math.fround));
  });

  it('float32 BLOB: decodes from a view at an odd offset (driver buffers are often slices)', () => {
    const backing = Buffer.alloc(13);
    encodeFloat32Blob(new Float32Array([1.5, -2])).copy(backing, 5);
    expect(Array.from(decodeFloat32Blob(backing.subarray(5), 'v').subarray(0, 2))).toEqual([1.5, -2]);
  });

  it('float32 BLOB: refuses a byte count that is not a multiple of 4', () => {
    expect(() => decodeFloat32Blob(Buffer.alloc(7), 'Doc.embedding')).toThrow(
      new VectorValueError('Doc.embedding holds 7 bytes, not a whole number of float32 values; it was not written as a float32 vector.'),
    );
  });

  it('pgvector text: exact float32 round trip', () => {
    const text = toPgvectorText(validateVector(values, undefined, 'v'));
    expect(text.startsWith('[0,1,-1,0.10000000149011612,')).toBe(true);
    expect(Array.from(parsePgvectorText(text, 'v'))).toEqual(values.map(Math.fround));
  });

  it('validateVector takes number[] and every numeric typed array, converting to float32; refuses BigInt arrays', () => {
    for (const input of [[1, 2, 3], new Float32Array([1, 2, 3]), new Float64Array([1, 2, 3]), new Int8Array([1, 2, 3]), new Uint8Array([1, 2, 3]), new Int16Array([1, 2, 3]), new Uint32Array([1, 2, 3])]) {
      expect(Array.from(validateVector(input, 3, 'v'))).toEqual([1, 2, 3]);
    }
    expect(Array.from(validateVector(new Float64Array([0.1]), 1, 'v'))).toEqual([Math.fround(0.1)]);
    expect(() => validateVector(new BigInt64Array([1n]), 1, 'Doc.embedding')).toThrow(
      /^Doc\.embedding must be an array of numbers or a numeric typed array \(Float32Array, Float64Array, \.\.\.\), but got a BigInt64Array; pass e\.g\. \[0\.1, 0\.2, 0\.3\]\.$/,
    );
    expect(() => validateVector(new DataView(new ArrayBuffer(4)), 1, 'v')).toThrow(/but got a DataView/);
  });

  it('pgvector text: keeps the sign of -0, as pgvector does', () => {
    expect(toPgvectorText(new Float32Array([-0, 0, 1]))).toBe('[-0,0,1]');
    expect(Object.is(parsePgvectorText('[-0]', 'v')[0], -0)).toBe(true);
  });

  it('pgvector text: refuses text that is not a vector', () => {
    expect(() => parsePgvectorText('{1,2}', 'Doc.embedding')).toThrow(/Doc\.embedding returned "\{1,2\}", which is not pgvector text/);
    for (const bad of ['[1,2', '[1,,2]', '[1,"a"]', '[[1]]', '[1,NaN]']) expect(() => parsePgvectorText(bad, 'v')).toThrow(VectorValueError);
  });

  it("pgvector binary (vector_send's layout): int16 dimensions, int16 unused, float32 big-endian; exact, -0 kept", () => {
    const bytes = Buffer.alloc(4 + values.length * 4 + 4);
    bytes.writeUInt16BE(values.length + 1, 0);
    [...values, -0].forEach((value, i) => bytes.writeFloatBE(value, 4 + i * 4));
    const decoded = parsePgvectorBinary(bytes, 'v');
    expect(Array.from(decoded)).toEqual([...values.map(Math.fround), -0]);
    expect(Object.is(decoded[values.length], -0)).toBe(true);
    expect(() => parsePgvectorBinary(bytes.subarray(0, 10), 'Doc.embedding')).toThrow(/^Doc\.embedding returned 10 bytes, which is not pgvector's binary vector format/);
  });
});
