/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 *
 * We cannot reproduce numpy's Mersenne-Twister streams anyway, so the goal is
 * only "same seed, same stream" on every platform, using 32-bit integer math
 * that V8 keeps in registers.
 */

export interface Rng {
  /** Uniform in [0, 1) with 53 bits of resolution. */
  nextFloat(): number;
  /** Uniform integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Seeds may be any finite number; the integer part's low and high 32 bits are
 * both mixed in so that seeds above 2^32 still give distinct streams.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const lo = whole >>> 0;
  const hi = Math.floor(Math.abs(whole) / 4294967296) >>> 0;
  const sm = { s: lo ^ Math.imul(hi, 0x27d4eb2d) ^ (whole < 0 ? 0x5bd1e995 : 0) };
  let a = splitmix32(sm);
  let b = splitmix32(sm);
  let c = splitmix32(sm);
  let d = splitmix32(sm);
  // xoshiro's only bad state is all-zero; splitmix cannot produce four zeros
  // in a row, but guard anyway since the cost is nil.
  if ((a | b | c | d) === 0) a = 1;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const nextFloat = (): number => {
    // 27 + 26 bits, the same construction as numpy's random_sample.
    const hi27 = nextU32() >>> 5;
    const lo26 = nextU32() >>> 6;
    return (hi27 * 67108864 + lo26) / 9007199254740992;
  };

  return {
    nextFloat,
    nextInt(maxExclusive: number): number {
      if (!(maxExclusive >= 1) || !Number.isSafeInteger(maxExclusive)) {
        throw new RangeError(`nextInt needs a positive safe integer bound, got ${maxExclusive}`);
      }
      // With 53 random bits the bias of floor(u * max) is below 2^-20 even for
      // the largest arrays we can hold, which is irrelevant for sampling.
      return Math.floor(nextFloat() * maxExclusive);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seed used when the caller asks for nondeterminism (randomState null). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}

/**
 * The first `count` entries of a uniformly random permutation of 0..n-1, like
 * numpy's `permutation(n)[:count]` (but from our own stream). Partial
 * Fisher–Yates: O(n) memory for the index array, O(count) swaps.
 */
export function samplePermutationPrefix(rng: Rng, n: number, count: number): Int32Array {
  const m = Math.min(count, n);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(n - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, m);
}
