//! The Sobol low-discrepancy sequence (Sobol 1967) with Joe and Kuo's direction numbers,
//! generated in Gray-code order (Antonov and Saleev 1979) with 30-bit integers, as
//! `scipy.stats.qmc.Sobol` generates it: unscrambled, point 0 is the origin and the points
//! equal scipy's bit for bit (checked against `tests/fixtures/sensitivity/sobol_points.json`).
//!
//! Scrambled, every dimension's direction numbers go through a random lower-triangular binary
//! matrix and every point is XORed with a random shift (Matousek's linear matrix scrambling
//! with a digital shift, the kind scipy applies by default): the points stay a (t, s)-sequence
//! in base 2, point 0 is no longer the origin, and the randomisation is drawn from the caller's
//! generator, so a seed reproduces it.

use rand::Rng;

use super::directions::{DIMENSIONS, POLY, VINIT};

/// Bits of every coordinate: 2^30 points at most, as scipy's default.
const BITS: usize = 30;
const SCALE: f64 = 1.0 / (1u64 << BITS) as f64;

/// Most dimensions this table supports.
pub const MAX_DIMENSIONS: usize = DIMENSIONS;

/// A Sobol sequence over `dims` dimensions.
#[derive(Debug, Clone)]
pub struct Sobol {
    /// Direction integers, `BITS` per dimension.
    v: Vec<[u32; BITS]>,
    /// The current point as integers.
    quasi: Vec<u32>,
    /// Points emitted so far.
    emitted: u64,
}

impl Sobol {
    /// The unscrambled sequence. `dims` must be between 1 and [`MAX_DIMENSIONS`].
    pub fn new(dims: usize) -> Sobol {
        assert!(
            (1..=MAX_DIMENSIONS).contains(&dims),
            "Sobol dimensions must be 1..={MAX_DIMENSIONS}"
        );
        let mut v = vec![[0u32; BITS]; dims];
        for (d, vd) in v.iter_mut().enumerate() {
            if d == 0 {
                vd.fill(1);
            } else {
                let poly = POLY[d];
                let m = (32 - poly.leading_zeros() - 1) as usize;
                vd[..m].copy_from_slice(&VINIT[d][..m]);
                for j in m..BITS {
                    let mut new = vd[j - m];
                    let mut pow2 = 1u32;
                    for k in 0..m {
                        pow2 <<= 1;
                        if (poly >> (m - 1 - k)) & 1 == 1 {
                            new ^= pow2.wrapping_mul(vd[j - k - 1]);
                        }
                    }
                    vd[j] = new;
                }
            }
            for (i, x) in vd.iter_mut().enumerate() {
                *x <<= BITS - 1 - i;
            }
        }
        Sobol {
            v,
            quasi: vec![0; dims],
            emitted: 0,
        }
    }

    /// The sequence with linear matrix scrambling and a digital shift drawn from `rng`.
    pub fn scrambled(dims: usize, rng: &mut impl Rng) -> Sobol {
        let mut s = Sobol::new(dims);
        for (vd, quasi) in s.v.iter_mut().zip(&mut s.quasi) {
            // Row k of the lower-triangular matrix (k = 0 the most significant digit): the
            // diagonal bit and random bits for the more significant input digits.
            let mut rows = [0u32; BITS];
            for (k, row) in rows.iter_mut().enumerate() {
                let own = 1u32 << (BITS - 1 - k);
                let above = !((own << 1).wrapping_sub(1)) & ((1u32 << BITS) - 1);
                *row = own | (rng.random::<u32>() & above);
            }
            for x in vd.iter_mut() {
                let mut out = 0u32;
                for (k, row) in rows.iter().enumerate() {
                    out |= ((row & *x).count_ones() & 1) << (BITS - 1 - k);
                }
                *x = out;
            }
            *quasi = rng.random::<u32>() & ((1u32 << BITS) - 1);
        }
        s
    }

    /// Writes the next point (coordinates in [0, 1)) into `out`, one per dimension.
    pub fn next_into(&mut self, out: &mut [f64]) {
        if self.emitted > 0 {
            let c = (self.emitted - 1).trailing_ones() as usize;
            for (q, vd) in self.quasi.iter_mut().zip(&self.v) {
                *q ^= vd[c];
            }
        }
        for (o, &q) in out.iter_mut().zip(&self.quasi) {
            *o = f64::from(q) * SCALE;
        }
        self.emitted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn scrambled_points_keep_one_point_per_elementary_interval() {
        // A base-2 (t, s)-sequence with t = 0 in one dimension: 2^k consecutive points from
        // the start fall one in each interval [i/2^k, (i+1)/2^k).
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut s = Sobol::scrambled(5, &mut rng);
        let n = 64;
        let mut seen = vec![[0u32; 64]; 5];
        let mut p = [0.0; 5];
        for _ in 0..n {
            s.next_into(&mut p);
            for (d, x) in p.iter().enumerate() {
                assert!((0.0..1.0).contains(x));
                seen[d][(x * n as f64) as usize] += 1;
            }
        }
        for (d, counts) in seen.iter().enumerate() {
            assert!(counts.iter().all(|&c| c == 1), "dimension {d}: {counts:?}");
        }
        let mut again = Sobol::scrambled(5, &mut ChaCha8Rng::seed_from_u64(3));
        let mut q = [0.0; 5];
        again.next_into(&mut q);
        let mut first = Sobol::scrambled(5, &mut ChaCha8Rng::seed_from_u64(3));
        first.next_into(&mut p);
        assert_eq!(p, q, "the seed reproduces the scrambling");
        assert_ne!(
            p, [0.0; 5],
            "a scrambled sequence does not start at the origin"
        );
    }
}
