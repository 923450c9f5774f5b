//! The random source: a seeded generator, and the salts that give each purpose its own stream.

// The salts live together here, although each is used in one other file, so that whoever adds
// a purpose sees which salts are taken and picks an unused one.

/// Salts that keep the generator streams of different purposes apart.
pub(super) const DECK_SALT: u64 = 1;
pub(super) const OPERATION_SALT: u64 = 2;
pub(super) const GROUP_SALT: u64 = 3;

/// SplitMix64: tiny, seedable and the same on every platform, which is all a spec generator
/// needs (no statistical quality is required, only repeatability).
pub(super) struct Rng(u64);

impl Rng {
    /// A generator for one purpose (`salt`) and one item (`index`), so that items never share
    /// a stream and adding items leaves the earlier ones unchanged.
    pub(super) fn new(seed: u64, salt: u64, index: usize) -> Self {
        let mut rng = Self(seed ^ salt.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.0 ^= (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub(super) fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(super) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// Up to `k` distinct items of `items`, in random order.
    pub(super) fn sample<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut all: Vec<&T> = items.iter().collect();
        self.shuffle(&mut all);
        all.truncate(k);
        all
    }
}
