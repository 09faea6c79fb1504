//! The game abstraction every arena game uses.
//!
//! A match is a `bevy_ecs` [`World`] plus a [`Schedule`] that runs once per
//! turn. Players are entities with a [`Seat`]; randomness comes only from the
//! seeded [`MatchRng`] resource; a turn's inputs arrive in the [`Actions`]
//! resource; a game ends by writing its [`MatchResult`] into [`Outcome`].
//! Nothing here reads a clock or does I/O, so the same seed, settings and
//! actions give the same frames and result on any machine.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};
use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

/// A game's rules, as the engine drives them.
pub trait Game: 'static {
    /// What a match needs before its first turn: settings and the players'
    /// codebases in the form the rules use.
    type Setup;
    /// One player's input for one turn (`()` for games whose players are pure data).
    type Action: Send + Sync + 'static;
    /// What a replay records after each turn.
    type Frame: Clone + Serialize;

    /// The game's name as configs and replays spell it.
    const NAME: &'static str;

    /// Fills a fresh world: resources, and one entity per player with its [`Seat`].
    fn setup(world: &mut World, setup: Self::Setup);

    /// Adds the systems of one turn, in order.
    fn build_turn(schedule: &mut Schedule);

    /// The frame that describes the world after a turn.
    fn frame(world: &mut World) -> Self::Frame;
}

/// The moments a bot is spoken to: once before the first turn, on every
/// turn it is asked to act, and once after the last (Battlesnake's `/start`,
/// `/move` and `/end`; a JSON-lines bot sees them as the message's `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Start,
    Move,
    End,
}

impl Phase {
    /// The message type (and HTTP path) of the phase.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Start => "start",
            Phase::Move => "move",
            Phase::End => "end",
        }
    }
}

/// Why a seat has no answer this turn, as the rules need to know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Silence {
    /// Too late this turn; the bot plays on (an HTTP bot's missed turn).
    Late,
    /// The bot stopped for good, for this reason.
    Stopped(EndReason),
    /// The bot answered something that is not this game's answer (it is
    /// stopped for breaking the protocol); the text says what it sent.
    Malformed(String),
}

/// A game whose seats are played by bot programs: what each seat is asked,
/// and how an answer (or its absence) becomes an action. The loop that
/// drives the bots through turns is generic (`arena_agents::play`).
pub trait BotGame: Game {
    /// What a seat's bot is sent.
    type Request: Serialize;
    /// What a seat's bot answers to a [`Phase::Move`] request.
    type Answer: serde::de::DeserializeOwned;

    /// The seats asked to act this turn (all seats still playing, or the
    /// one whose turn it is), in seat order.
    fn asked(world: &mut World) -> Vec<Seat>;

    /// The message for `seat` in `phase` (`None`: nothing to send).
    fn request(world: &mut World, seat: Seat, phase: Phase) -> Option<Self::Request>;

    /// The action of a seat that answered. `Err` says why the answer breaks
    /// the game's protocol: its bot is stopped and [`BotGame::silent`]
    /// decides the seat's action.
    fn action(world: &mut World, seat: Seat, answer: Self::Answer) -> Result<Self::Action, String>;

    /// The action of a seat that did not answer this turn (`None`: the
    /// rules' default, e.g. a snake moving on as it was going).
    fn silent(world: &mut World, seat: Seat, why: &Silence) -> Option<Self::Action>;

    /// What a seat's bot answered to its [`Phase::Start`] greeting (`Err`:
    /// it did not; its bot is gone). Most games ignore it; Halite I takes the
    /// bot's name from it and places a bot that failed its init last.
    fn greeted(world: &mut World, seat: Seat, answer: Result<&serde_json::Value, &Silence>) {
        let _ = (world, seat, answer);
    }

    /// Called once every seat has been greeted, before the first turn (the
    /// game may decide the match here, e.g. when too few bots started).
    fn greetings_done(world: &mut World) {
        let _ = world;
    }
}

/// A player's place at the table (0-based, in the order players were given).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seat(pub u8);

/// The match's only source of randomness, seeded from the match seed.
#[derive(Resource, Debug)]
pub struct MatchRng(pub Pcg64);

impl MatchRng {
    /// A generator seeded from the match seed.
    pub fn new(seed: u64) -> Self {
        MatchRng(Pcg64::seed_from_u64(seed))
    }

    /// A uniformly random number in `0..n` (`n > 0`), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let n = n.max(1);
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// Turns played so far; systems read it, the engine advances it.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Turn(pub u64);

/// This turn's inputs, one per seat that acted.
#[derive(Resource, Debug)]
pub struct Actions<A>(pub Vec<(Seat, A)>);

/// Set by the game's systems when the match is over.
#[derive(Resource, Debug, Default)]
pub struct Outcome(pub Option<MatchResult>);

/// Why a player's match ended the way it did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Placed first alone.
    Won,
    /// Shared first place.
    Drew,
    /// Lasted to the end but scored below the winner.
    Outscored,
    /// Knocked out by the game's rules.
    Eliminated,
    /// Did not answer in time.
    Timeout,
    /// The bot's program stopped (exit, signal, resource limit).
    Crashed,
    /// The codebase or an action broke the game's contract.
    Invalid,
}

/// One player's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlayerResult {
    pub seat: u8,
    /// 1 is best; equal scores share a placement.
    pub placement: u32,
    /// The game's own score (Core War: pMARS's score formula).
    pub score: f64,
    pub reason: EndReason,
}

/// How a match ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MatchResult {
    /// Turns played.
    pub turns: u64,
    /// One entry per seat, in seat order.
    pub players: Vec<PlayerResult>,
}

impl MatchResult {
    /// Placements from scores (higher is better, equal scores share a
    /// place), with `Won`/`Drew`/`Outscored` for players not already given
    /// another reason by `reasons`.
    pub fn from_scores(turns: u64, scores: &[f64], reasons: &[Option<EndReason>]) -> Self {
        let players = scores
            .iter()
            .enumerate()
            .map(|(seat, &score)| {
                let better = scores.iter().filter(|&&s| s > score).count();
                let equal = scores.iter().filter(|&&s| s == score).count();
                let placement = better as u32 + 1;
                let reason =
                    reasons
                        .get(seat)
                        .copied()
                        .flatten()
                        .unwrap_or(match (placement, equal) {
                            (1, 1) => EndReason::Won,
                            (1, _) => EndReason::Drew,
                            _ => EndReason::Outscored,
                        });
                PlayerResult {
                    seat: seat as u8,
                    placement,
                    score,
                    reason,
                }
            })
            .collect();
        MatchResult { turns, players }
    }
}

/// A match in progress: the world, the turn schedule, and the frames so far.
pub struct Match<G: Game> {
    world: World,
    turn: Schedule,
    _game: std::marker::PhantomData<G>,
}

impl<G: Game> Match<G> {
    /// Sets up a match from its seed and the game's setup.
    pub fn new(seed: u64, setup: G::Setup) -> Self {
        let mut world = World::new();
        world.insert_resource(MatchRng::new(seed));
        world.insert_resource(Turn(0));
        world.insert_resource(Outcome(None));
        world.insert_resource(Actions::<G::Action>(Vec::new()));
        G::setup(&mut world, setup);
        let mut turn = Schedule::default();
        // Systems with conflicting access must be ordered explicitly, or a
        // game would not be deterministic: make any ambiguity a build error.
        turn.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
        G::build_turn(&mut turn);
        Match {
            world,
            turn,
            _game: std::marker::PhantomData,
        }
    }

    /// Plays one turn with these actions and returns the frame after it, or
    /// `None` if the match was already over.
    pub fn step(&mut self, actions: Vec<(Seat, G::Action)>) -> Option<G::Frame> {
        if self.is_over() {
            return None;
        }
        self.world.insert_resource(Actions(actions));
        self.turn.run(&mut self.world);
        self.world.resource_mut::<Turn>().0 += 1;
        self.world.clear_trackers();
        Some(G::frame(&mut self.world))
    }

    /// Whether the game has decided the match.
    pub fn is_over(&self) -> bool {
        self.world.resource::<Outcome>().0.is_some()
    }

    /// The result, once the match is over.
    pub fn result(&self) -> Option<&MatchResult> {
        self.world.resource::<Outcome>().0.as_ref()
    }

    /// Turns played so far.
    pub fn turns(&self) -> u64 {
        self.world.resource::<Turn>().0
    }

    /// The world, for reading game state (viewers, tests).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The world, mutably (games' own helpers read through queries).
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
}

impl<G: Game<Action = ()>> Match<G> {
    /// Plays turns until the game decides the match (games without actions).
    pub fn run_to_end(&mut self) -> &MatchResult {
        while !self.is_over() {
            self.step(Vec::new());
        }
        // is_over() just said the outcome is set.
        match self.world.resource::<Outcome>().0.as_ref() {
            Some(result) => result,
            None => unreachable!("the loop ends only when an outcome is set"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy game: each turn every seat adds a random die roll to its score;
    /// the first to reach 20 ends the match.
    struct Dice;

    #[derive(Component)]
    struct Total(u64);

    fn roll(mut rng: ResMut<MatchRng>, mut players: Query<(&Seat, &mut Total)>) {
        let mut sorted: Vec<_> = players.iter_mut().collect();
        sorted.sort_by_key(|(seat, _)| **seat);
        for (_, total) in sorted.iter_mut() {
            total.0 += 1 + rng.below(6);
        }
    }

    fn decide(turn: Res<Turn>, mut outcome: ResMut<Outcome>, players: Query<(&Seat, &Total)>) {
        let mut sorted: Vec<_> = players.iter().collect();
        sorted.sort_by_key(|(seat, _)| **seat);
        if sorted.iter().any(|(_, t)| t.0 >= 20) {
            let scores: Vec<f64> = sorted.iter().map(|(_, t)| t.0 as f64).collect();
            outcome.0 = Some(MatchResult::from_scores(turn.0 + 1, &scores, &[]));
        }
    }

    impl Game for Dice {
        type Setup = u8;
        type Action = ();
        type Frame = Vec<u64>;
        const NAME: &'static str = "dice";

        fn setup(world: &mut World, players: u8) {
            for seat in 0..players {
                world.spawn((Seat(seat), Total(0)));
            }
        }

        fn build_turn(schedule: &mut Schedule) {
            schedule.add_systems((roll, decide).chain());
        }

        fn frame(world: &mut World) -> Vec<u64> {
            let mut q = world.query::<(&Seat, &Total)>();
            let mut v: Vec<_> = q.iter(world).map(|(s, t)| (*s, t.0)).collect();
            v.sort();
            v.into_iter().map(|(_, t)| t).collect()
        }
    }

    fn play(seed: u64) -> (Vec<Vec<u64>>, MatchResult) {
        let mut m = Match::<Dice>::new(seed, 3);
        let mut frames = Vec::new();
        while let Some(f) = m.step(Vec::new()) {
            frames.push(f);
        }
        (frames, m.result().cloned().expect("the match ended"))
    }

    #[test]
    fn same_seed_same_match() {
        assert_eq!(play(7), play(7));
        assert_ne!(play(7).0, play(8).0);
    }

    #[test]
    fn placements_share_ties() {
        let r = MatchResult::from_scores(1, &[3.0, 5.0, 5.0, 1.0], &[]);
        let places: Vec<u32> = r.players.iter().map(|p| p.placement).collect();
        assert_eq!(places, vec![3, 1, 1, 4]);
        assert_eq!(r.players[1].reason, EndReason::Drew);
        assert_eq!(r.players[0].reason, EndReason::Outscored);
    }

    #[test]
    fn ambiguous_systems_are_an_error() {
        fn write_a(mut t: ResMut<Turn>) {
            t.0 += 0;
        }
        fn write_b(mut t: ResMut<Turn>) {
            t.0 += 0;
        }
        let mut world = World::new();
        world.insert_resource(Turn(0));
        let mut s = Schedule::default();
        s.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
        s.add_systems((write_a, write_b));
        assert!(s.initialize(&mut world).is_err());
    }
}
