import { decodeFloat32Blob, encodeFloat32Blob, parsePgvectorBinary, parsePgvectorText, toPgvectorText, validateVector, VectorValueError } from '../src';
import { checkVector, encodePgvectorBinary, parsePgvectorBinaryNumbers, validateVectorInto, writePgvectorBinary } from '../src/codecs';
import { pgvectorCodec, postgresCodec } from '../src/dialects/postgres/codec';

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
    expect(text.startsWith('[0,1,-1,0.100000001,')).toBe(true);
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

  it('pgvector text: 9 significant digits read back as the same float32, for every kind of float32 (random bit patterns, subnormals, the edges)', () => {
    const bits = new Uint32Array(200_000);
    let state = 20261202;
    for (let i = 0; i < bits.length; i++) bits[i] = state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const edges = [0, -0, 1.401298464324817e-45, -1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1e21, 1e-7, 123456789, 0.1];
    const vector = Float32Array.from([...new Float32Array(bits.buffer).filter(Number.isFinite), ...edges]);
    const text = toPgvectorText(vector);
    const read = JSON.parse(text) as number[];
    expect(read.length).toBe(vector.length);
    expect(read.findIndex((value, i) => !Object.is(Math.fround(value), vector[i]))).toBe(-1);
    expect(toPgvectorText(new Float32Array([1, 0.5, 123456, 1e21, 1e-7, -2.5e-30, 3.4028234663852886e38]))).toBe('[1,0.5,123456,1.00000002e+21,1.00000001e-7,-2.50000001e-30,3.40282347e+38]');
  });

  it('validateVectorInto checks as validateVector does, writing into the array given (insertVectors checks every row with it before sending)', () => {
    const scratch = new Float32Array(3);
    expect(validateVectorInto([0.1, -0, 2], 3, 'v', scratch)).toBe(scratch);
    expect(Array.from(scratch)).toEqual([Math.fround(0.1), -0, 2]);
    expect(() => validateVectorInto([1, Number.NaN, 2], 3, 'Doc.embedding', scratch)).toThrow(new VectorValueError('Doc.embedding element 1 is NaN; every element must be a finite number.'));
    expect(() => validateVectorInto([1, 2], 3, 'Doc.embedding', scratch)).toThrow(/expects 3 dimensions but the vector has 2/);
    expect(() => validateVectorInto([1, 2], undefined, 'v', scratch)).toThrow(RangeError);
  });

  it('checkVector throws exactly what validateVector throws, and nothing where it passes (insertVectors checks every row with it before sending)', () => {
    const overflow = 2 ** 128 - 2 ** 103;
    const below = overflow - 2 ** 75;
    const long = (at: number, bad: unknown): unknown[] => Array.from({ length: 37 }, (_, i) => (i === at ? bad : i / 10));
    const cases: unknown[] = [
      [0.1, -0, 2],
      Float32Array.of(1, 2, 3),
      Float64Array.of(1, 2, 3),
      Int8Array.of(-1, 2, 3),
      // Valid elements whose magnitudes sum past float32's range: checked one by one, and they pass.
      Array.from({ length: 9 }, () => below),
      Float64Array.from({ length: 9 }, () => -below),
      ...[0, 7, 8, 15, 36].flatMap((at) => [long(at, Number.NaN), long(at, Infinity), long(at, -Infinity), long(at, overflow), long(at, -1e39), long(at, '1'), long(at, null), long(at, undefined), long(at, 1n)]),
      Float64Array.of(1, Number.NaN, 3),
      Float64Array.of(1, 2, 1e39),
      Float32Array.of(Infinity, 1, 2),
      [1, , 3],
      [],
      [1, 2],
      'abc',
      null,
      { length: 3 },
    ];
    for (const value of cases) {
      const dimensions = Array.isArray(value) && value.length === 37 ? 37 : ArrayBuffer.isView(value) || (Array.isArray(value) && value.length === 9) ? (value as ArrayLike<unknown>).length : 3;
      let expected: unknown;
      try {
        validateVector(value, dimensions, 'Doc.embedding');
      } catch (error) {
        expected = error;
      }
      if (expected === undefined) expect(checkVector(value, dimensions, 'Doc.embedding')).toBeUndefined();
      else expect(() => checkVector(value, dimensions, 'Doc.embedding')).toThrow(expected as Error);
    }
  });

  it('float32 range: the largest double that rounds to a finite float32 passes (as the largest float32), the first that rounds to Infinity is refused', () => {
    const overflow = 2 ** 128 - 2 ** 103;
    const below = overflow - 2 ** 75;
    expect(Array.from(validateVector([below, -below], 2, 'v'))).toEqual([3.4028234663852886e38, -3.4028234663852886e38]);
    for (const bad of [overflow, -overflow, 1e39]) expect(() => validateVector([bad], 1, 'Doc.embedding')).toThrow(/^Doc\.embedding element 0 is .*, which overflows float32/);
    for (const bad of [Infinity, -Infinity]) expect(() => validateVector([bad], 1, 'v')).toThrow(/every element must be a finite number/);
    expect(() => validateVector([1, '2'], 2, 'v')).toThrow(/element 1 is .*not a number/);
  });

  it('pgvector binary, written in place at an offset of a larger buffer (binary COPY chunks): the same bytes as encodePgvectorBinary', () => {
    const vector = new Float32Array([1, -0, 0.1, -3.4028234663852886e38]);
    const out = Buffer.alloc(3 + 4 + 16 + 2, 0xee);
    expect(writePgvectorBinary(vector, out, 3)).toBe(3 + 20);
    expect(out.subarray(3, 23)).toEqual(encodePgvectorBinary(vector));
    expect(out.subarray(3, 11)).toEqual(Buffer.from([0, 4, 0, 0, 0x3f, 0x80, 0, 0]));
    expect([out[0], out[2], out[23], out[24]]).toEqual([0xee, 0xee, 0xee, 0xee]);
    expect(Array.from(vector)).toEqual([1, -0, Math.fround(0.1), -3.4028234663852886e38]);
  });

  it('pgvector binary from checked number[] and other typed arrays: each element rounded to float32 as written, the same bytes as through a Float32Array', () => {
    const overflow = 2 ** 128 - 2 ** 103;
    const numbers = [1, -0, 0.1, -(overflow - 2 ** 75), 1e-46, 2 ** -149 * 1.5, 123456.789, -2.5e-30];
    for (const values of [numbers, Float64Array.from(numbers), Int8Array.of(-128, 0, 5, 127), Uint16Array.of(65535, 1), Int32Array.of(2 ** 30 + 1, -7)]) {
      const out = Buffer.alloc(5 + 4 + 4 * values.length + 2, 0xee);
      expect(writePgvectorBinary(values, out, 5)).toBe(5 + 4 + 4 * values.length);
      expect(out.subarray(5, 9 + 4 * values.length)).toEqual(encodePgvectorBinary(Float32Array.from(values as ArrayLike<number>)));
      expect([out[4], out.at(-2), out.at(-1)]).toEqual([0xee, 0xee, 0xee]);
    }
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

  it("pgvector binary straight to number[] (parsePgvectorBinaryNumbers): the values parsePgvectorBinary reads, -0 kept, from a Buffer at an offset or a Uint8Array", () => {
    const all = [...values, -0, 1e-45, -3.4028234663852886e38];
    const pool = Buffer.alloc(3 + 4 + all.length * 4);
    const bytes = pool.subarray(3);
    bytes.writeUInt16BE(all.length, 0);
    all.forEach((value, i) => bytes.writeFloatBE(value, 4 + i * 4));
    const numbers = parsePgvectorBinaryNumbers(bytes, 'v');
    expect(Array.isArray(numbers)).toBe(true);
    expect(numbers).toEqual(Array.from(parsePgvectorBinary(bytes, 'v')));
    expect(Object.is(numbers[values.length], -0)).toBe(true);
    expect(parsePgvectorBinaryNumbers(new Uint8Array(bytes), 'v')).toEqual(numbers);
    expect(parsePgvectorBinaryNumbers(Buffer.from([0, 0, 0, 0]), 'v')).toEqual([]);
    expect(() => parsePgvectorBinaryNumbers(bytes.subarray(0, 10), 'Doc.embedding')).toThrow(/^Doc\.embedding returned 10 bytes, which is not pgvector's binary vector format/);
  });

  it("pgvector's vector codec reads vector_send bytes as it reads text: decode to a Float32Array, decodeNumbers to number[]", () => {
    const bytes = encodePgvectorBinary(new Float32Array([1, 0.5, -0]));
    expect(pgvectorCodec.decode(bytes, 'v')).toEqual(new Float32Array([1, 0.5, -0]));
    expect(pgvectorCodec.decodeNumbers!(bytes, 'v')).toEqual([1, 0.5, -0]);
    expect(pgvectorCodec.decodeNumbers!('[1,0.5]', 'v')).toBeUndefined();
    expect(pgvectorCodec.decode('[1,0.5]', 'v')).toEqual(new Float32Array([1, 0.5]));
    expect(postgresCodec.decodeNumbers!(bytes, 'v')).toEqual([1, 0.5, -0]);
    expect(() => pgvectorCodec.decode(bytes.subarray(0, 6), 'Doc.embedding')).toThrow(/^Doc\.embedding returned 6 bytes, which is not pgvector's binary vector format/);
  });
});
