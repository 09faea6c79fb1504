//! A whole battle, as `pmars` runs one: plan every round's placement up
//! front, then play the rounds on the ECS game, spread over threads when
//! the rounds cannot influence each other.

use super::game::{BattleSetup, CoreWar, tallies};
use super::mars::RoundPlan;
use super::placement::{Placement, Planner, SeedSource};
use super::{Settings, Warrior};
use crate::engine::Match;

/// A battle to play.
#[derive(Clone, Debug)]
pub struct Battle {
    pub settings: Settings,
    pub warriors: Vec<Warrior>,
    pub seed: SeedSource,
    /// pMARS's `-P`.
    pub permutate: bool,
    /// Points for surviving with `S` survivors, for `S = 1..=warriors`.
    pub points: Vec<i64>,
}

/// The result of a battle: pMARS's `score[]` array and score per warrior.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BattleOutcome {
    /// Per warrior: rounds survived with `k+1` survivors (`k < W`), then
    /// deaths by how many were left (`W..2W-1`).
    pub tallies: Vec<Vec<u64>>,
    /// Per warrior: the formula's score.
    pub scores: Vec<i64>,
}

impl BattleOutcome {
    /// The warrior's death counts, by how many were left when it died
    /// (the `W..2W-1` part of its tallies; empty for no such warrior).
    pub fn death_counts(&self, warrior: usize) -> &[u64] {
        let n = self.tallies.len();
        self.tallies.get(warrior).map_or(&[], |t| &t[n..])
    }

    /// pMARS's `deaths()`: rounds this warrior did not survive.
    pub fn deaths(&self, warrior: usize) -> u64 {
        self.death_counts(warrior).iter().sum()
    }

    /// Rounds this warrior survived (with any number of survivors).
    pub fn survivals(&self, warrior: usize) -> u64 {
        let n = self.tallies.len();
        self.tallies.get(warrior).map_or(0, |t| t[..n].iter().sum())
    }

    /// Rounds this warrior survived alone.
    pub fn wins(&self, warrior: usize) -> u64 {
        self.tallies.get(warrior).map_or(0, |t| t[0])
    }

    /// `placements[k]`: rounds the warrior finished in place `k + 1`.
    /// Survivors share first place; a warrior that died when `L` were left
    /// placed `L`-th.
    pub fn placements(&self, warrior: usize) -> Vec<u64> {
        let n = self.tallies.len();
        let mut placements = vec![0; n];
        if let Some(first) = placements.first_mut() {
            *first = self.survivals(warrior);
        }
        for (left, &count) in (2..=n).zip(self.death_counts(warrior)) {
            placements[left - 1] += count;
        }
        placements
    }
}

impl Battle {
    /// Every round's placement, in the order pMARS would draw them.
    pub fn plans(&self) -> Vec<RoundPlan> {
        let mut planner = Planner::new(
            Placement {
                core_size: self.settings.core_size,
                min_distance: self.settings.min_distance,
                warriors: self.warriors.len(),
                permutate: self.permutate,
            },
            self.seed,
            &self.warriors,
        );
        (0..self.settings.rounds)
            .map(|_| planner.next_round())
            .collect()
    }

    /// Whether rounds can be played out of order: only P-space carries
    /// anything from one round to the next.
    pub fn rounds_independent(&self) -> bool {
        !self.warriors.iter().any(Warrior::uses_pspace)
    }

    /// Plays the battle on up to `jobs` threads.
    pub fn run(&self, jobs: usize) -> BattleOutcome {
        self.run_with_progress(jobs, &|_| {})
    }

    /// [`Battle::run`], calling `progress(rounds)` as rounds finish (from
    /// any of the threads).
    pub fn run_with_progress(&self, jobs: usize, progress: &(dyn Fn(u64) + Sync)) -> BattleOutcome {
        let plans = self.plans();
        let jobs = if self.rounds_independent() {
            jobs.clamp(1, plans.len().max(1))
        } else {
            1
        };
        let tallies = if jobs == 1 {
            self.play(plans, progress)
        } else {
            let chunk = plans.len().div_ceil(jobs);
            let parts: Vec<Vec<RoundPlan>> = plans.chunks(chunk).map(<[_]>::to_vec).collect();
            std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .into_iter()
                    .map(|part| scope.spawn(move || self.play(part, progress)))
                    .collect();
                let mut sum =
                    vec![vec![0u64; 2 * self.warriors.len().max(1) - 1]; self.warriors.len()];
                for h in handles {
                    // A thread only panics on a bug in the simulator itself.
                    let part = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                    for (s, p) in sum.iter_mut().zip(part) {
                        for (a, b) in s.iter_mut().zip(p) {
                            *a += b;
                        }
                    }
                }
                sum
            })
        };
        let scores = tallies
            .iter()
            .map(|t| super::game::score(t, &self.points))
            .collect();
        BattleOutcome { tallies, scores }
    }

    /// Plays these rounds in one match, a round per turn.
    fn play(&self, plans: Vec<RoundPlan>, progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<u64>> {
        let mut m = Match::<CoreWar>::new(
            0,
            BattleSetup {
                settings: self.settings.clone(),
                warriors: self.warriors.clone(),
                plans,
                cycles_per_turn: u64::MAX,
                points: self.points.clone(),
            },
        );
        while m.step(Vec::new()).is_some() {
            progress(1);
        }
        tallies(m.world_mut())
    }
}

/// pMARS's default score formula `(W*W-1)/S`, for `S = 1..=W`.
pub fn default_points(warriors: usize) -> Vec<i64> {
    let w = warriors as i64;
    (1..=w).map(|s| (w * w - 1) / s).collect()
}
