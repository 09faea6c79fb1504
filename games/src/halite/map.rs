//! The map: sites (owner, strength, production) on a torus, and Halite I's
//! map generator (`hlt::Map(width, height, players, seed)` in the
//! environment's `core/hlt.hpp`), reproduced step for step so that a seed,
//! dimensions and a player count give the same map as the environment.

use bevy_ecs::prelude::Resource;

use super::random::Mt19937;

/// The environment's direction codes (`STILL`, `NORTH`, ...).
pub const STILL: u8 = 0;
pub const NORTH: u8 = 1;
pub const EAST: u8 = 2;
pub const SOUTH: u8 = 3;
pub const WEST: u8 = 4;

/// One cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// 0: nobody; 1..=6: the player with that tag (seat + 1).
    pub owner: u8,
    pub strength: u8,
    pub production: u8,
}

/// The map, row by row (`y * width + x`); edges wrap.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub struct Map {
    pub width: u16,
    pub height: u16,
    pub sites: Vec<Site>,
}

/// Why dimensions make no map.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("a map holds 1 to 6 players, not {0}")]
    Players(u8),
    #[error(
        "{width}x{height} for {players} players leaves no cells (the generator tiles one chunk per player; each side needs at least a chunk)"
    )]
    TooSmall {
        width: u16,
        height: u16,
        players: u8,
    },
    #[error(
        "{width}x{height} is too large: the environment loops over rows with an 8-bit counter, so 255 rows and columns at most"
    )]
    TooLarge { width: u16, height: u16 },
}

/// The environment's default sizes when `-d` is absent (it draws one with
/// `rand()`, seeded by the clock; the arena draws from the seed).
pub const SIZE_CHOICES: [u16; 16] = [
    20, 25, 25, 30, 30, 30, 35, 35, 35, 35, 40, 40, 40, 45, 45, 50,
];

/// A cell of the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub x: u16,
    pub y: u16,
}

impl Map {
    /// The index of `(x, y)` in `sites`.
    pub fn index(&self, l: Location) -> usize {
        usize::from(l.y) * usize::from(self.width) + usize::from(l.x)
    }

    /// Whether `(x, y)` is on the map.
    pub fn in_bounds(&self, l: Location) -> bool {
        l.x < self.width && l.y < self.height
    }

    /// The site at `l`.
    pub fn site(&self, l: Location) -> Site {
        self.sites[self.index(l)]
    }

    /// The site at `l`, mutably.
    pub fn site_mut(&mut self, l: Location) -> &mut Site {
        let i = self.index(l);
        &mut self.sites[i]
    }

    /// The neighbour of `l` in `direction` (`hlt::Map::getLocation`: codes
    /// other than the four directions stay put).
    pub fn step(&self, l: Location, direction: u8) -> Location {
        let Location { mut x, mut y } = l;
        match direction {
            NORTH => y = if y == 0 { self.height - 1 } else { y - 1 },
            EAST => x = if x == self.width - 1 { 0 } else { x + 1 },
            SOUTH => y = if y == self.height - 1 { 0 } else { y + 1 },
            WEST => x = if x == 0 { self.width - 1 } else { x - 1 },
            _ => {}
        }
        Location { x, y }
    }

    /// The location of index `i`.
    pub fn location(&self, i: usize) -> Location {
        let w = usize::from(self.width);
        Location {
            x: (i % w) as u16,
            y: (i / w) as u16,
        }
    }

    /// `hlt::Map(width, height, players, seed)`. The map may come out
    /// smaller than asked: it is tiled from one chunk per player.
    pub fn generate(width: u16, height: u16, players: u8, seed: u32) -> Result<Map, MapError> {
        if !(1..=6).contains(&players) {
            return Err(MapError::Players(players));
        }
        let mut prg = Mt19937::new(seed);
        let n = i32::from(players);
        let prefer_horizontal = prg.next_u32() % 2 == 1;
        let (dw, dh) = if prefer_horizontal {
            let mut dh = f64::from(n).sqrt() as i32;
            while n % dh != 0 {
                dh -= 1;
            }
            (n / dh, dh)
        } else {
            let mut dw = f64::from(n).sqrt() as i32;
            while n % dw != 0 {
                dw -= 1;
            }
            (dw, n / dw)
        };
        // The environment takes the sizes as `short`.
        let (w, h) = (i32::from(width as i16), i32::from(height as i16));
        let mut cw = w / dw;
        let mut ch = h / dh;
        if prefer_horizontal {
            while ch > 0 && ch % n != 0 {
                ch -= 1;
            }
        } else {
            while cw > 0 && cw % n != 0 {
                cw -= 1;
            }
        }
        if cw <= 0 || ch <= 0 {
            return Err(MapError::TooSmall {
                width,
                height,
                players,
            });
        }
        let (mw, mh) = ((cw * dw) as usize, (ch * dh) as usize);
        if mw > 255 || mh > 255 {
            return Err(MapError::TooLarge { width, height });
        }

        let prod_chunk = Region::new(cw, ch, &mut prg).factors();
        let strength_chunk = Region::new(cw, ch, &mut prg).factors();

        #[derive(Clone, Copy, Default)]
        struct SiteD {
            owner: u8,
            strength: f64,
            production: f64,
        }
        let (cwu, chu) = (cw as usize, ch as usize);
        let (dwu, dhu) = (dw as usize, dh as usize);
        let mut tess = vec![vec![SiteD::default(); mw]; mh];
        for a in 0..dhu {
            for b in 0..dwu {
                for c in 0..chu {
                    for d in 0..cwu {
                        let s = &mut tess[a * chu + c][b * cwu + d];
                        s.production = prod_chunk[c][d];
                        s.strength = strength_chunk[c][d];
                    }
                }
                tess[a * chu + chu / 2][b * cwu + cwu / 2].owner = (a * dwu + b + 1) as u8;
            }
        }
        let reflect_vertical = dh % 2 == 0;
        let reflect_horizontal = dw % 2 == 0;
        let mut refl = vec![vec![SiteD::default(); mw]; mh];
        for a in 0..dhu {
            for b in 0..dwu {
                let v = reflect_vertical && a % 2 != 0;
                let hr = reflect_horizontal && b % 2 != 0;
                for c in 0..chu {
                    for d in 0..cwu {
                        let sc = if v { chu - c - 1 } else { c };
                        let sd = if hr { cwu - d - 1 } else { d };
                        refl[a * chu + c][b * cwu + d] = tess[a * chu + sc][b * cwu + sd];
                    }
                }
            }
        }
        let shifts = if players == 6 {
            refl
        } else if prefer_horizontal {
            let shift = (prg.next_u32() as usize % dwu) * (mh / dwu);
            let mut s = vec![vec![SiteD::default(); mw]; mh];
            for a in 0..dhu {
                for b in 0..dwu {
                    for c in 0..chu {
                        for d in 0..cwu {
                            s[a * chu + c][b * cwu + d] =
                                refl[(a * chu + b * shift + c) % mh][b * cwu + d];
                        }
                    }
                }
            }
            s
        } else {
            let shift = (prg.next_u32() as usize % dhu) * (mw / dhu);
            let mut s = vec![vec![SiteD::default(); mw]; mh];
            for a in 0..dhu {
                for b in 0..dwu {
                    for c in 0..chu {
                        for d in 0..cwu {
                            s[a * chu + c][b * cwu + d] =
                                refl[a * chu + c][(b * cwu + a * shift + d) % mw];
                        }
                    }
                }
            }
            s
        };

        const OWN: f64 = 0.66667;
        let mut blur = shifts;
        let passes = 2.0 * ((mw * mh) as f64).sqrt() / 10.0;
        let mut z = 0;
        while f64::from(z) <= passes {
            let mut next = blur.clone();
            for a in 0..mh {
                let m = if a == 0 { mh - 1 } else { a - 1 };
                let p = if a + 1 == mh { 0 } else { a + 1 };
                for b in 0..mw {
                    let mw_ = if b == 0 { mw - 1 } else { b - 1 };
                    let pw = if b + 1 == mw { 0 } else { b + 1 };
                    let s = &mut next[a][b];
                    s.production *= OWN;
                    s.production += blur[m][b].production * (1.0 - OWN) / 4.0;
                    s.production += blur[p][b].production * (1.0 - OWN) / 4.0;
                    s.production += blur[a][mw_].production * (1.0 - OWN) / 4.0;
                    s.production += blur[a][pw].production * (1.0 - OWN) / 4.0;
                    s.strength *= OWN;
                    s.strength += blur[m][b].strength * (1.0 - OWN) / 4.0;
                    s.strength += blur[p][b].strength * (1.0 - OWN) / 4.0;
                    s.strength += blur[a][mw_].strength * (1.0 - OWN) / 4.0;
                    s.strength += blur[a][pw].strength * (1.0 - OWN) / 4.0;
                }
            }
            blur = next;
            z += 1;
        }

        let (mut max_prod, mut max_str) = (0.0f64, 0.0f64);
        for s in blur.iter().flatten() {
            if s.production > max_prod {
                max_prod = s.production;
            }
            if s.strength > max_str {
                max_str = s.strength;
            }
        }
        let top_prod = f64::from(prg.next_u32() % 10 + 6);
        let top_str = f64::from(prg.next_u32() % 106 + 150);
        let mut sites = Vec::with_capacity(mw * mh);
        for s in blur.iter().flatten() {
            let mut site = Site {
                owner: s.owner,
                strength: ((s.strength / max_str) * top_str).round() as u8,
                production: ((s.production / max_prod) * top_prod).round() as u8,
            };
            if site.owner != 0 && site.production == 0 {
                site.production = 1;
            }
            sites.push(site);
        }
        Ok(Map {
            width: mw as u16,
            height: mh as u16,
            sites,
        })
    }
}

/// The generator's recursive regions: a factor per region, split 4x4 down
/// to single cells, each level's factors blurred once with its neighbours.
struct Region {
    factor: f64,
    children: Vec<Vec<Region>>,
}

impl Region {
    fn new(w: i32, h: i32, prg: &mut Mt19937) -> Region {
        const CHUNK: i32 = 4;
        const OWN: f64 = 0.75;
        let factor = prg.uniform_real(0.0, 1.0).powf(1.5);
        let mut children: Vec<Vec<Region>> = Vec::new();
        if w == 1 && h == 1 {
            return Region { factor, children };
        }
        let (cw, ch) = (w / CHUNK, h / CHUNK);
        let (dif_w, dif_h) = (w - CHUNK * cw, h - CHUNK * ch);
        for a in 0..CHUNK {
            let tch = if a < dif_h { ch + 1 } else { ch };
            if tch > 0 {
                let mut row = Vec::new();
                for b in 0..CHUNK {
                    let tcw = if b < dif_w { cw + 1 } else { cw };
                    if tcw > 0 {
                        row.push(Region::new(tcw, tch, prg));
                    }
                }
                children.push(row);
            }
        }
        let rows = children.len();
        let cols = children[0].len();
        let mut blurred = vec![vec![0.0f64; cols]; rows];
        for a in 0..rows {
            let mh = if a == 0 { rows - 1 } else { a - 1 };
            let ph = if a + 1 == rows { 0 } else { a + 1 };
            for b in 0..cols {
                let mw = if b == 0 { cols - 1 } else { b - 1 };
                let pw = if b + 1 == cols { 0 } else { b + 1 };
                let f = &mut blurred[a][b];
                *f += children[a][b].factor * OWN;
                *f += children[mh][b].factor * (1.0 - OWN) / 4.0;
                *f += children[ph][b].factor * (1.0 - OWN) / 4.0;
                *f += children[a][mw].factor * (1.0 - OWN) / 4.0;
                *f += children[a][pw].factor * (1.0 - OWN) / 4.0;
            }
        }
        for (row, brow) in children.iter_mut().zip(&blurred) {
            for (c, f) in row.iter_mut().zip(brow) {
                c.factor = *f;
            }
        }
        Region { factor, children }
    }

    /// The factors of every cell, each region's times its parents'.
    fn factors(&self) -> Vec<Vec<f64>> {
        if self.children.is_empty() {
            return vec![vec![self.factor]];
        }
        let kids: Vec<Vec<Vec<Vec<f64>>>> = self
            .children
            .iter()
            .map(|row| row.iter().map(Region::factors).collect())
            .collect();
        let mut out = Vec::new();
        for row in &kids {
            for iy in 0..row[0].len() {
                let mut line = Vec::new();
                for kid in row {
                    line.extend(kid[iy].iter().map(|f| f * self.factor));
                }
                out.push(line);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fnv(m: &Map) -> u64 {
        let mut h: u64 = 1_469_598_103_934_665_603;
        for s in &m.sites {
            for b in [s.owner, s.strength, s.production] {
                h ^= u64::from(b);
                h = h.wrapping_mul(1_099_511_628_211);
            }
        }
        h
    }

    #[test]
    fn maps_identical_to_the_environment() {
        let text = include_str!("../../../tests/data/halite/maps.txt");
        let mut bad = Vec::new();
        let mut n = 0;
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            let num = |i: usize| f[i].parse::<u64>().expect("a number in maps.txt");
            let (w, h, p, seed) = (num(0) as u16, num(1) as u16, num(2) as u8, num(3) as u32);
            let m = Map::generate(w, h, p, seed).expect("a map");
            let got = format!("{} {} {:016x}", m.width, m.height, fnv(&m));
            let want = format!("{} {} {}", f[4], f[5], f[6]);
            if got != want {
                bad.push(format!("{w}x{h} p{p} seed {seed}: got {got}, want {want}"));
            }
            n += 1;
        }
        assert!(n >= 700, "only {n} cases");
        assert!(
            bad.is_empty(),
            "{} of {n} maps differ:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }

    #[test]
    fn whole_maps_identical() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/halite/maps-full"
        );
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("maps-full") {
            let path = entry.expect("an entry").path();
            let text = std::fs::read_to_string(&path).expect("a map file");
            let name = path.file_stem().and_then(|s| s.to_str()).expect("a name");
            // WxH-pP-sSEED
            let parts: Vec<&str> = name.split(['x', '-']).collect();
            let w: u16 = parts[0].parse().expect("w");
            let h: u16 = parts[1].parse().expect("h");
            let p: u8 = parts[2][1..].parse().expect("p");
            let seed: u32 = parts[3][1..].parse().expect("seed");
            let m = Map::generate(w, h, p, seed).expect("a map");
            let mut out = format!("{} {}\n", m.width, m.height);
            for field in 0..3 {
                for row in m.sites.chunks(usize::from(m.width)) {
                    for s in row {
                        let v = [s.production, s.owner, s.strength][field];
                        out.push_str(&format!("{v} "));
                    }
                    out.push('\n');
                }
            }
            assert_eq!(out, text, "{name}");
            seen += 1;
        }
        assert!(seen >= 6);
    }

    #[test]
    fn refuses_impossible_maps() {
        assert!(matches!(
            Map::generate(30, 30, 7, 1),
            Err(MapError::Players(7))
        ));
        assert!(matches!(
            Map::generate(2, 2, 5, 1),
            Err(MapError::TooSmall { .. })
        ));
        assert!(matches!(
            Map::generate(600, 600, 2, 1),
            Err(MapError::TooLarge { .. })
        ));
    }
}
