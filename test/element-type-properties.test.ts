/**
 * Properties (fast-check) of the other element types' documented rounding and round trips, at the
 * codec level (the backends' own tests read the same values back from the databases):
 * - float16: what is stored is `roundToFloat16(Math.fround(x))`, the nearest float16 with ties to
 *   even (checked against both neighbours of the result), `-0` kept; it round-trips through the
 *   half-precision bytes bit for bit; magnitudes over 65504 are refused;
 * - int8: every integer in -128..127 is kept exactly, anything else refused;
 * - bit: any bit string round-trips through the packed bytes;
 * - sparse: any sparse vector of non-zero float32 values round-trips through pgvector's text.
 */
import fc from 'fast-check';
import {
  decodeFloat16Bytes,
  encodeFloat16Bytes,
  packBits,
  parseSparsevecText,
  roundToFloat16,
  toSparsevecText,
  unpackBits,
  validateFloat16Vector,
  validateInt8Vector,
  validateSparseVector,
} from '../src/codecs';
import { VectorValueError } from '../src';

const SEED = Number(process.env.FC_SEED ?? 20261202);
const MAX_FLOAT16 = 65504;

/** The float16 with these bits, through the library's decoder. */
const half = (bits: number) => decodeFloat16Bytes(Uint8Array.of(bits & 0xff, bits >> 8))[0]!;
/** The bits of a float16 value, through the library's encoder. */
const bitsOf = (value: number) => {
  const bytes = encodeFloat16Bytes(Float32Array.of(value));
  return bytes[0]! | (bytes[1]! << 8);
};

describe('float16', () => {
  const inRange = fc.float({ noNaN: true, min: Math.fround(-MAX_FLOAT16), max: Math.fround(MAX_FLOAT16) });

  it('stores the nearest float16 of the float32 value, ties to even, -0 kept', () => {
    fc.assert(
      fc.property(inRange, (x) => {
        const value = Math.fround(x);
        const rounded = roundToFloat16(value);
        const stored = validateFloat16Vector([x], 1, 'v')[0]!;
        if (!Object.is(stored, rounded)) return false;
        // Magnitudes up to 2^-25 (half the smallest subnormal, a tie that goes to even) become a zero of the value's sign.
        if (rounded === 0) return Math.abs(value) <= 2 ** -25 && Object.is(rounded, value < 0 || Object.is(value, -0) ? -0 : 0);
        const bits = bitsOf(rounded);
        const error = Math.abs(value - rounded);
        for (const neighbour of [bits - 1, bits + 1]) {
          if ((neighbour & 0x7c00) === 0x7c00 || (neighbour & 0x7fff) === 0x7fff || neighbour < 0) continue;
          const other = Math.abs(value - half(neighbour));
          if (other < error) return false;
          if (other === error && bits % 2 === 1) return false;
        }
        return true;
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('round-trips every stored value through the half-precision bytes bit for bit', () => {
    fc.assert(
      fc.property(fc.array(inRange, { minLength: 1, maxLength: 32 }), (values) => {
        const stored = validateFloat16Vector(values, values.length, 'v');
        const back = decodeFloat16Bytes(encodeFloat16Bytes(stored));
        return stored.every((value, i) => Object.is(value, back[i]));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses magnitudes over 65504', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: 65504.5, max: 1e300 }), fc.boolean(), (magnitude, negative) => {
        expect(() => validateFloat16Vector([negative ? -magnitude : magnitude], 1, 'v')).toThrow(VectorValueError);
        return true;
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('int8', () => {
  it('keeps every integer in -128..127 exactly and refuses anything else', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -128, max: 127 }), { minLength: 1, maxLength: 64 }), (values) => {
        const stored = validateInt8Vector(values, values.length, 'v');
        return stored.every((value, i) => value === values[i]);
      }),
      { seed: SEED, numRuns: 500 },
    );
    const outside = fc.oneof(fc.integer({ min: 128, max: 1e6 }), fc.integer({ min: -1e6, max: -129 }), fc.double({ noNaN: true, min: -127, max: 126 }).filter((v) => !Number.isInteger(v)));
    fc.assert(
      fc.property(outside, (value) => {
        expect(() => validateInt8Vector([value], 1, 'v')).toThrow(VectorValueError);
        return true;
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('bit', () => {
  it('round-trips any bit string through the packed bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('0', '1'), { minLength: 1, maxLength: 300 }), (bits) => {
        const text = bits.join('');
        const packed = packBits(text);
        return packed.length === Math.ceil(text.length / 8) && unpackBits(packed, text.length) === text;
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('sparse', () => {
  const nonZero = fc.float({ noNaN: true, noDefaultInfinity: true }).filter((v) => v !== 0);
  const sparse = fc.integer({ min: 1, max: 100_000 }).chain((dimensions) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: dimensions - 1 }), { minLength: 0, maxLength: Math.min(dimensions, 50) })
      .chain((indices) => fc.array(nonZero, { minLength: indices.length, maxLength: indices.length }).map((values) => ({ indices: [...indices].sort((a, b) => a - b), values, dimensions }))),
  );

  it("round-trips any sparse vector of non-zero float32 values through pgvector's text", () => {
    fc.assert(
      fc.property(sparse, (vector) => {
        const stored = validateSparseVector(vector, vector.dimensions, 'v');
        const back = parseSparsevecText(toSparsevecText(stored), 'v');
        return back.dimensions === stored.dimensions && back.indices.join() === stored.indices.join() && back.values.every((value, i) => Object.is(value, stored.values[i]));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
