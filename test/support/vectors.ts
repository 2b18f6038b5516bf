/** Reference distances computed in JavaScript on float32 values, to check the databases against. */
export type Vec = readonly number[];

const f = Math.fround;

export function l2(a: Vec, b: Vec): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (f(a[i]!) - f(b[i]!)) ** 2;
  return Math.sqrt(sum);
}

export function cosineDistance(a: Vec, b: Vec): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += f(a[i]!) * f(b[i]!);
    na += f(a[i]!) ** 2;
    nb += f(b[i]!) ** 2;
  }
  return 1 - dot / Math.sqrt(na * nb);
}

export function negativeInnerProduct(a: Vec, b: Vec): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += f(a[i]!) * f(b[i]!);
  return -dot;
}

export function l1(a: Vec, b: Vec): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(f(a[i]!) - f(b[i]!));
  return sum;
}

export const DISTANCES = { l2, cosine: cosineDistance, inner_product: negativeInnerProduct, l1 } as const;

/** A seeded pseudo-random generator (mulberry32), so data sets are the same on every run. */
export function seededRandom(seed: number): () => number {
  const imul = Math.imul; // bound once: global lookups in hot loops are slow inside Jest's vm context
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomVectors(count: number, dimensions: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: dimensions }, () => f(random() * 2 - 1)));
}

/**
 * `count` seeded vectors around `clusters` centres drawn uniformly in [-1, 1], each coordinate
 * Gaussian with standard deviation `spread` around its centre: shaped like real embeddings, so an
 * approximate index can miss neighbours (on uniform random data every index looks alike).
 */
export function clusteredVectors(count: number, dimensions: number, seed: number, clusters = 40, spread = 0.2): number[][] {
  const random = seededRandom(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dimensions }, () => random() * 2 - 1));
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => centres[Math.floor(random() * clusters)]!.map((x) => f(x + spread * gaussian())));
}
