//! What the unit tests share: the pseudo-random numbers of the tests that
//! compare a fast path with what it stands for (generated texts, facts,
//! words), the same on every run.

/// xorshift64 (Marsaglia): never 0 from a seed that is not 0.
pub(crate) struct Xorshift(u64);

impl Xorshift {
    pub(crate) fn new(seed: u64) -> Xorshift {
        Xorshift(seed)
    }

    /// The next number.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// The next number modulo `m`.
    pub(crate) fn below(&mut self, m: u64) -> u64 {
        self.next() % m
    }
}
