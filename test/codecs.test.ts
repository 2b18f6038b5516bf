import { decodeFloat32Blob, encodeFloat32Blob, parsePgvectorText, toPgvectorText, validateVector, VectorValueError } from '../src';

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

  it('pgvector text: refuses text that is not a vector', () => {
    expect(() => parsePgvectorText('{1,2}', 'Doc.embedding')).toThrow(/Doc\.embedding returned "\{1,2\}", which is not pgvector text/);
  });
});
