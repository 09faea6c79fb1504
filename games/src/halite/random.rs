//! The random numbers of Halite I's map generator, bit for bit: C++11's
//! `std::mt19937` and libstdc++'s (GCC 12) `uniform_real_distribution<double>`
//! (`generate_canonical<double, 53>`) and `uniform_int_distribution<int>`
//! (Lemire's nearly divisionless draw, as libstdc++ has done since GCC 11).
//! Checked against values printed by g++'s library
//! (`tests/data/halite/random.txt`, from `tools/halite-dump.cpp`).

/// `std::mt19937`: the 32-bit Mersenne Twister with the standard's
/// parameters and seeding.
#[derive(Clone, Debug)]
pub struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// `std::mt19937 prg(seed)`.
    pub fn new(seed: u32) -> Mt19937 {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: 624 }
    }

    /// `prg()`: the next 32 bits.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        for i in 0..624 {
            let y = (self.state[i] & UPPER) | (self.state[(i + 1) % 624] & LOWER);
            let mut next = self.state[(i + 397) % 624] ^ (y >> 1);
            if y & 1 != 0 {
                next ^= 0x9908_b0df;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    /// `std::generate_canonical<double, 53>(prg)` as libstdc++ computes it:
    /// two draws, `(x0 + x1 * 2^32) / 2^64` in double arithmetic, and a result
    /// that rounded up to 1 replaced by the largest double below 1.
    pub fn canonical(&mut self) -> f64 {
        let x0 = f64::from(self.next_u32());
        let x1 = f64::from(self.next_u32());
        let sum = x0 + x1 * 4_294_967_296.0;
        let r = sum / 18_446_744_073_709_551_616.0;
        if r >= 1.0 {
            1.0 - f64::EPSILON / 2.0
        } else {
            r
        }
    }

    /// `std::uniform_real_distribution<double>(a, b)(prg)`.
    pub fn uniform_real(&mut self, a: f64, b: f64) -> f64 {
        self.canonical() * (b - a) + a
    }

    /// `std::uniform_int_distribution<int>(a, b)(prg)` (`a <= b`).
    pub fn uniform_int(&mut self, a: i32, b: i32) -> i32 {
        let range = (b as u32).wrapping_sub(a as u32);
        if range == u32::MAX {
            return (self.next_u32()).wrapping_add(a as u32) as i32;
        }
        let range = range + 1;
        let mut product = u64::from(self.next_u32()) * u64::from(range);
        let mut low = product as u32;
        if low < range {
            let threshold = range.wrapping_neg() % range;
            while low < threshold {
                product = u64::from(self.next_u32()) * u64::from(range);
                low = product as u32;
            }
        }
        ((product >> 32) as u32).wrapping_add(a as u32) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks of `random.txt`: `@ KIND ARGS...` then values.
    fn blocks() -> Vec<(Vec<String>, Vec<String>)> {
        let text = include_str!("../../../tests/data/halite/random.txt");
        let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        for line in text.lines() {
            if let Some(h) = line.strip_prefix("@ ") {
                out.push((h.split(' ').map(String::from).collect(), Vec::new()));
            } else if let Some(last) = out.last_mut() {
                last.1.push(line.to_string());
            }
        }
        out
    }

    #[test]
    fn default_seed_matches_the_standard() {
        // The standard's check: the 10000th output of a default mt19937.
        let mut g = Mt19937::new(5489);
        let mut x = 0;
        for _ in 0..10000 {
            x = g.next_u32();
        }
        assert_eq!(x, 4_123_659_995);
    }

    #[test]
    fn identical_to_libstdcxx() {
        let blocks = blocks();
        assert!(blocks.len() >= 20, "random.txt has {} blocks", blocks.len());
        let mut checked = 0;
        for (head, values) in blocks {
            let n = |i: usize| head[i].parse::<f64>().expect("a number in random.txt");
            let seed: u32 = head[1].parse().expect("a seed");
            let mut g = Mt19937::new(seed);
            for (i, want) in values.iter().enumerate() {
                let got = match head[0].as_str() {
                    "mt" => g.next_u32().to_string(),
                    "real" => format!("{:016x}", g.uniform_real(0.0, 1.0).to_bits()),
                    "realab" => format!("{:016x}", g.uniform_real(n(2), n(3)).to_bits()),
                    "int" => g.uniform_int(n(2) as i32, n(3) as i32).to_string(),
                    k => panic!("unknown block kind {k}"),
                };
                assert_eq!(&got, want, "{head:?} value #{i}");
                checked += 1;
            }
        }
        assert!(checked > 7000);
    }
}
