//! Halite I as an arena game on `bevy_ecs`, turn for turn as the
//! environment's `Halite::processNextFrame` and `Halite::runGame` play it.
//! The map is a resource; each player is an entity with its [`Seat`] and
//! [`Standing`]. A turn runs, in order: `eject_players`, `count_frames`,
//! `gather_pieces`, `resolve_combat`, `place_pieces`, `count_territory`,
//! `rank_players`.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::map::{Location, Map, STILL};
use super::protocol;
use crate::engine::{
    Actions, BotGame, EndReason, Game, MatchResult, Outcome, Phase, PlayerResult, Seat, Silence,
    Turn,
};

/// The Halite I rules for the engine.
pub struct Halite;

/// What a match needs: the map (generated or given) and the players.
#[derive(Clone, Debug)]
pub struct HaliteSetup {
    pub map: Map,
    /// Bots at the table (1-6); player `tag` is seat `tag - 1`. A map made
    /// for more players than this keeps only the first player's cells when
    /// one bot plays (the environment's single-player mode).
    pub players: u8,
}

/// A seat's input for one turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HaliteAction {
    /// The moves it sent, one per cell, ordered by location.
    Moves(Vec<(Location, u8)>),
    /// Its bot timed out, died or sent a bad character: its cells turn
    /// neutral (keeping their strength) and it plays no more.
    Ejected(EndReason),
}

/// How a player stands.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Still in the game (the environment's `result[a]`).
    pub alive: bool,
    /// Frames it started alive, from 1 (`alive_frame_count`).
    pub alive_frames: u32,
    /// Cells it owned after the last turn (`last_territory_count`).
    pub territory: u32,
    /// Cells owned summed over turns, from 1 (`full_territory_count`): the
    /// tie-break between equal territories.
    pub territory_sum: u32,
    /// Why its bot was ejected, if it was (the environment's timeout tags).
    pub ejected: Option<EndReason>,
    /// The name its bot sent (its first 30 bytes).
    pub name: String,
}

/// Players from worst to best as they are placed (`rankings`).
#[derive(Resource, Clone, Debug, Default)]
pub struct Rankings(pub Vec<u8>);

/// The last turn (`sqrt(width * height) * 10`).
#[derive(Resource, Clone, Copy, Debug)]
pub struct TurnLimit(pub u64);

/// The players at the table.
#[derive(Resource, Clone, Copy, Debug)]
pub struct PlayerCount(pub u8);

/// The turn's pieces: per player, per cell, a strength.
#[derive(Resource, Clone, Debug, Default)]
pub struct Pieces(pub Vec<Vec<Option<u8>>>);

/// The moves of the turn as the replay records them (by cell).
#[derive(Resource, Clone, Debug, Default)]
pub struct TurnMoves(pub Vec<u8>);

/// What a replay records after each turn: the map's owners, strengths and
/// the moves that led to it, as hex strings (two digits a cell for
/// strengths and moves, one for owners), row by row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HaliteFrame {
    pub width: u16,
    pub height: u16,
    pub owners: String,
    pub strengths: String,
    pub moves: String,
    /// On the first frame only: the productions and the map before the
    /// first turn, which `.hlt` replays start with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<StartFrame>,
}

/// The first frame's extras.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StartFrame {
    pub productions: String,
    pub owners: String,
    pub strengths: String,
}

/// The map before the first turn.
#[derive(Resource, Clone, Debug)]
pub struct StartMap(pub Map);

type Players<'w, 's> = Query<'w, 's, (&'static Seat, &'static mut Standing)>;

fn alive_flags(players: &Query<(&Seat, &mut Standing)>, n: usize) -> Vec<bool> {
    let mut alive = vec![false; n];
    for (seat, st) in players.iter() {
        if let Some(a) = alive.get_mut(usize::from(seat.0)) {
            *a = st.alive;
        }
    }
    alive
}

/// Ejected bots' cells turn neutral before anything moves.
fn eject_players(actions: Res<Actions<HaliteAction>>, mut map: ResMut<Map>, mut players: Players) {
    for (seat, action) in &actions.0 {
        let HaliteAction::Ejected(why) = action else {
            continue;
        };
        for (s, mut st) in players.iter_mut() {
            if s == seat && st.alive && st.ejected.is_none() {
                st.ejected = Some(*why);
                let tag = seat.0 + 1;
                for site in map.sites.iter_mut().filter(|s| s.owner == tag) {
                    site.owner = 0;
                }
            }
        }
    }
}

/// Every player alive at the turn's start counts the frame.
fn count_frames(mut players: Players) {
    for (_, mut st) in players.iter_mut() {
        if st.alive {
            st.alive_frames += 1;
        }
    }
}

/// Moves become pieces: a moving cell's strength goes to its target, a
/// still cell grows by its production (to 255 at most), pieces of a player
/// meeting on a cell merge (to 255 at most); the map is left neutral.
fn gather_pieces(
    actions: Res<Actions<HaliteAction>>,
    count: Res<PlayerCount>,
    mut map: ResMut<Map>,
    mut pieces: ResMut<Pieces>,
    mut moves_out: ResMut<TurnMoves>,
    players: Players,
) {
    let n = usize::from(count.0);
    let cells = map.sites.len();
    let alive = alive_flags(&players, n);
    pieces.0 = vec![vec![None; cells]; n];
    moves_out.0 = vec![0; cells];
    let add = |p: &mut Option<u8>, s: u8| {
        *p = Some(match *p {
            Some(old) => (u16::from(old) + u16::from(s)).min(255) as u8,
            None => s,
        });
    };
    let mut by_seat: Vec<&[(Location, u8)]> = vec![&[]; n];
    for (seat, action) in &actions.0 {
        if let (HaliteAction::Moves(m), Some(slot)) = (action, by_seat.get_mut(usize::from(seat.0)))
        {
            *slot = m;
        }
    }
    for a in 0..n {
        if !alive[a] {
            continue;
        }
        let tag = a as u8 + 1;
        for &(l, d) in by_seat[a] {
            if !map.in_bounds(l) || map.site(l).owner != tag {
                continue;
            }
            let i = map.index(l);
            if d == STILL {
                let s = &mut map.sites[i];
                s.strength = (u16::from(s.strength) + u16::from(s.production)).min(255) as u8;
            }
            moves_out.0[i] = d;
            let target = map.step(l, d);
            let t = map.index(target);
            let strength = map.sites[i].strength;
            add(&mut pieces.0[a][t], strength);
            if pieces.0[a][i].is_none() {
                pieces.0[a][i] = Some(0);
            }
            map.sites[i].owner = 0;
            map.sites[i].strength = 0;
        }
    }
    for i in 0..cells {
        let s = &mut map.sites[i];
        if s.owner == 0 {
            continue;
        }
        s.strength = (u16::from(s.strength) + u16::from(s.production)).min(255) as u8;
        let a = usize::from(s.owner - 1);
        if let Some(p) = pieces.0.get_mut(a) {
            add(&mut p[i], s.strength);
        }
        s.owner = 0;
        s.strength = 0;
    }
}

/// Every piece damages each enemy piece on its cell and the four next to
/// it by its strength; a piece on a neutral cell with strength damages it
/// and is damaged by it. A piece damaged by its strength or more is gone
/// (a piece of strength 0 next to an enemy is too).
fn resolve_combat(
    count: Res<PlayerCount>,
    mut map: ResMut<Map>,
    mut pieces: ResMut<Pieces>,
    players: Players,
) {
    let n = usize::from(count.0);
    let cells = map.sites.len();
    let alive = alive_flags(&players, n);
    let mut injure: Vec<Vec<Option<u16>>> = vec![vec![None; cells]; n];
    let mut injure_map = vec![0u16; cells];
    for i in 0..cells {
        let l = map.location(i);
        let around = [
            i,
            map.index(map.step(l, 1)),
            map.index(map.step(l, 2)),
            map.index(map.step(l, 3)),
            map.index(map.step(l, 4)),
        ];
        for c in 0..n {
            let Some(pc) = pieces.0[c][i].filter(|_| alive[c]) else {
                continue;
            };
            for d in (0..n).filter(|&d| d != c && alive[d]) {
                for &t in &around {
                    if pieces.0[d][t].is_some() {
                        let e = injure[d][t].get_or_insert(0);
                        *e += u16::from(pc);
                    }
                }
            }
            let neutral = map.sites[i].strength;
            if neutral > 0 {
                *injure[c][i].get_or_insert(0) += u16::from(neutral);
                injure_map[i] += u16::from(pc);
            }
        }
    }
    for a in (0..n).filter(|&a| alive[a]) {
        for (piece, damage) in pieces.0[a].iter_mut().zip(&injure[a]) {
            let Some(damage) = *damage else { continue };
            let strength = u16::from(piece.unwrap_or(0));
            *piece = (damage < strength).then(|| (strength - damage) as u8);
        }
    }
    for (site, damage) in map.sites.iter_mut().zip(injure_map) {
        site.strength = u16::from(site.strength).saturating_sub(damage) as u8;
        site.owner = 0;
    }
}

/// Surviving pieces take their cells.
fn place_pieces(mut map: ResMut<Map>, pieces: Res<Pieces>) {
    for (a, cells) in pieces.0.iter().enumerate() {
        for (i, p) in cells.iter().enumerate() {
            if let Some(strength) = p {
                map.sites[i].owner = a as u8 + 1;
                map.sites[i].strength = *strength;
            }
        }
    }
}

/// Territories after the turn; a player without cells is out.
fn count_territory(map: Res<Map>, mut players: Players) {
    let mut counts = [0u32; 256];
    for s in &map.sites {
        counts[usize::from(s.owner)] += 1;
    }
    for (seat, mut st) in players.iter_mut() {
        let t = counts[usize::from(seat.0) + 1];
        st.territory = t;
        st.territory_sum += t;
    }
}

/// Players out this turn are placed below those still in, fewer cells
/// (then a smaller territory sum, then a lower tag) worse; at the turn
/// limit, or with one player left, the rest are placed the same way.
fn rank_players(
    map: Res<Map>,
    turn: Res<Turn>,
    limit: Res<TurnLimit>,
    count: Res<PlayerCount>,
    mut rankings: ResMut<Rankings>,
    mut outcome: ResMut<Outcome>,
    mut players: Players,
) {
    let n = usize::from(count.0);
    let mut out: Vec<(u8, u32, u32)> = Vec::new();
    for (seat, mut st) in players.iter_mut() {
        if st.alive && st.territory == 0 {
            st.alive = false;
            out.push((seat.0, st.territory, st.territory_sum));
        }
    }
    place(&mut rankings.0, out);
    let played = turn.0 + 1;
    let left = players.iter().filter(|(_, st)| st.alive).count();
    let productive = map.sites.iter().any(|s| s.owner == 0 && s.production > 0);
    let go_on = played < limit.0 && (left > 1 || (n == 1 && productive));
    if !go_on {
        finish(&mut rankings.0, &mut players);
        outcome.0 = Some(result(played, &rankings.0, &players));
    }
}

/// Appends players, sorted worst first by (territory, territory sum), ties
/// kept in seat order (`std::stable_sort`).
fn place(rankings: &mut Vec<u8>, mut players: Vec<(u8, u32, u32)>) {
    players.sort_by_key(|p| p.0);
    players.sort_by_key(|&(_, t, sum)| (t, sum));
    rankings.extend(players.into_iter().map(|p| p.0));
}

/// Places the players still in.
fn finish(rankings: &mut Vec<u8>, players: &mut Players) {
    let left: Vec<(u8, u32, u32)> = players
        .iter()
        .filter(|(_, st)| st.alive)
        .map(|(s, st)| (s.0, st.territory, st.territory_sum))
        .collect();
    place(rankings, left);
}

/// The result: placements as the environment ranks (best first), scores
/// the final territories.
fn result(turns: u64, rankings: &[u8], players: &Players) -> MatchResult {
    let mut list: Vec<PlayerResult> = players
        .iter()
        .map(|(seat, st)| {
            let placement = rankings
                .iter()
                .rev()
                .position(|&s| s == seat.0)
                .map_or(rankings.len() as u32 + 1, |p| p as u32 + 1);
            let reason = match (st.ejected, placement, st.alive) {
                (Some(r), _, _) => r,
                (None, 1, _) => EndReason::Won,
                (None, _, true) => EndReason::Outscored,
                (None, _, false) => EndReason::Eliminated,
            };
            PlayerResult {
                seat: seat.0,
                placement,
                score: f64::from(st.territory),
                reason,
            }
        })
        .collect();
    list.sort_by_key(|p| p.seat);
    MatchResult {
        turns,
        players: list,
    }
}

/// Bytes as hex, two digits each.
fn hex(bytes: impl Iterator<Item = u8>) -> String {
    let mut s = String::new();
    for b in bytes {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    s
}

/// Owners as one digit each.
fn owner_digits(map: &Map) -> String {
    map.sites
        .iter()
        .map(|s| char::from_digit(u32::from(s.owner), 16).unwrap_or('?'))
        .collect()
}

impl Game for Halite {
    type Setup = HaliteSetup;
    type Action = HaliteAction;
    type Frame = HaliteFrame;
    const NAME: &'static str = "halite";

    fn setup(world: &mut World, setup: HaliteSetup) {
        let mut map = setup.map;
        let n = setup.players.clamp(1, 6);
        if n == 1 {
            for s in map.sites.iter_mut().filter(|s| s.owner > 1) {
                s.owner = 0;
            }
        }
        let limit = ((f64::from(map.width) * f64::from(map.height)).sqrt() * 10.0) as u64;
        for seat in 0..n {
            world.spawn((
                Seat(seat),
                Standing {
                    alive: true,
                    alive_frames: 1,
                    territory: 1,
                    territory_sum: 1,
                    ejected: None,
                    name: String::new(),
                },
            ));
        }
        world.insert_resource(StartMap(map.clone()));
        world.insert_resource(map);
        world.insert_resource(TurnLimit(limit));
        world.insert_resource(PlayerCount(n));
        world.insert_resource(Rankings::default());
        world.insert_resource(Pieces::default());
        world.insert_resource(TurnMoves::default());
        if limit == 0 {
            Halite::end_now(world);
        }
    }

    fn build_turn(schedule: &mut Schedule) {
        schedule.add_systems(
            (
                eject_players,
                count_frames,
                gather_pieces,
                resolve_combat,
                place_pieces,
                count_territory,
                rank_players,
            )
                .chain(),
        );
    }

    fn frame(world: &mut World) -> HaliteFrame {
        let turn = world.resource::<Turn>().0;
        let map = world.resource::<Map>();
        let start = (turn <= 1).then(|| {
            let s = &world.resource::<StartMap>().0;
            StartFrame {
                productions: hex(s.sites.iter().map(|x| x.production)),
                owners: owner_digits(s),
                strengths: hex(s.sites.iter().map(|x| x.strength)),
            }
        });
        HaliteFrame {
            width: map.width,
            height: map.height,
            owners: owner_digits(map),
            strengths: hex(map.sites.iter().map(|s| s.strength)),
            moves: hex(world.resource::<TurnMoves>().0.iter().copied()),
            start,
        }
    }
}

/// One player's line of the environment's final statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerStats {
    pub tag: u8,
    pub rank: u32,
    pub last_frame_alive: i64,
    pub name: String,
    /// Ejected (the environment's timeout tags).
    pub ejected: bool,
}

impl Halite {
    /// Ends the match before any turn (every bot but one failed its init,
    /// or the map allows no turn).
    fn end_now(world: &mut World) {
        let mut state = world.query::<(&Seat, &mut Standing)>();
        let mut left: Vec<(u8, u32, u32)> = state
            .iter(world)
            .filter(|(_, st)| st.alive)
            .map(|(s, st)| (s.0, st.territory, st.territory_sum))
            .collect();
        left.sort_by_key(|p| p.0);
        let mut rankings = world.resource::<Rankings>().0.clone();
        place(&mut rankings, left);
        let mut list: Vec<PlayerResult> = state
            .iter(world)
            .map(|(seat, st)| PlayerResult {
                seat: seat.0,
                placement: rankings
                    .iter()
                    .rev()
                    .position(|&s| s == seat.0)
                    .map_or(rankings.len() as u32 + 1, |p| p as u32 + 1),
                score: 0.0,
                reason: st.ejected.unwrap_or(EndReason::Won),
            })
            .collect();
        list.sort_by_key(|p| p.seat);
        if let Some(best) = list
            .iter_mut()
            .find(|p| p.placement == 1 && p.reason == EndReason::Won)
        {
            best.reason = EndReason::Won;
        }
        for p in list
            .iter_mut()
            .filter(|p| p.placement > 1 && p.reason == EndReason::Won)
        {
            p.reason = EndReason::Outscored;
        }
        world.resource_mut::<Rankings>().0 = rankings;
        world.resource_mut::<Outcome>().0 = Some(MatchResult {
            turns: 0,
            players: list,
        });
    }

    /// A bot failed its init: the environment places it below everyone
    /// (in tag order), clears its cells and never asks it again; with one
    /// player or none left, the match ends before the first turn.
    pub fn fail_init(world: &mut World, seat: Seat, why: EndReason) {
        let mut found = false;
        let mut q = world.query::<(&Seat, &mut Standing)>();
        for (s, mut st) in q.iter_mut(world) {
            if *s == seat && st.alive {
                st.alive = false;
                st.ejected = Some(why);
                st.name = format!("Bot #{}; timed out during Init", seat.0 + 1);
                found = true;
            }
        }
        if !found {
            return;
        }
        world.resource_mut::<Rankings>().0.push(seat.0);
        let tag = seat.0 + 1;
        for site in world.resource_mut::<Map>().sites.iter_mut() {
            if site.owner == tag {
                site.owner = 0;
            }
        }
    }

    /// After every init: ends the match if fewer than two players are left
    /// (one player plays alone only when one was seated).
    pub fn after_init(world: &mut World) {
        let n = world.resource::<PlayerCount>().0;
        let mut q = world.query::<&Standing>();
        let left = q.iter(world).filter(|st| st.alive).count();
        if left == 0 || (left == 1 && n > 1) {
            Halite::end_now(world);
        }
    }

    /// The moves of the last turn, by cell (as `.hlt` replays record them).
    pub fn last_moves(world: &World) -> &[u8] {
        &world.resource::<TurnMoves>().0
    }

    /// The map now.
    pub fn map(world: &World) -> &Map {
        world.resource::<Map>()
    }

    /// Each player's standing, in seat order.
    pub fn standings(world: &mut World) -> Vec<(Seat, Standing)> {
        let mut q = world.query::<(&Seat, &Standing)>();
        let mut v: Vec<(Seat, Standing)> = q.iter(world).map(|(s, st)| (*s, st.clone())).collect();
        v.sort_by_key(|(s, _)| *s);
        v
    }

    /// The environment's final statistics, by tag: rank and the last frame
    /// alive (`alive_frame_count - 2 + still_in`).
    pub fn stats(world: &mut World) -> Vec<PlayerStats> {
        let rankings = world.resource::<Rankings>().0.clone();
        Halite::standings(world)
            .into_iter()
            .map(|(seat, st)| PlayerStats {
                tag: seat.0 + 1,
                rank: rankings
                    .iter()
                    .rev()
                    .position(|&s| s == seat.0)
                    .map_or(0, |p| p as u32 + 1),
                last_frame_alive: i64::from(st.alive_frames) - 2 + i64::from(st.alive),
                name: st.name,
                ejected: st.ejected.is_some(),
            })
            .collect()
    }

    /// Records the name a bot sent (its first 30 bytes, as the environment
    /// keeps them).
    pub fn set_name(world: &mut World, seat: Seat, name: &str) {
        let mut end = name.len().min(30);
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        let mut q = world.query::<(&Seat, &mut Standing)>();
        for (s, mut st) in q.iter_mut(world) {
            if *s == seat {
                st.name = name[..end].to_string();
            }
        }
    }

    /// Whether `seat` is still in.
    pub fn is_alive(world: &mut World, seat: Seat) -> bool {
        let mut q = world.query::<(&Seat, &Standing)>();
        q.iter(world).any(|(s, st)| *s == seat && st.alive)
    }
}

/// A message to a bot: raw protocol text (a string; the runner adds the
/// final newline).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HaliteText(pub String);

impl BotGame for Halite {
    type Request = HaliteText;
    /// One line: the name (init) or the moves.
    type Answer = String;

    fn asked(world: &mut World) -> Vec<Seat> {
        Halite::standings(world)
            .into_iter()
            .filter(|(_, st)| st.alive)
            .map(|(s, _)| s)
            .collect()
    }

    fn request(world: &mut World, seat: Seat, phase: Phase) -> Option<HaliteText> {
        let map = world.resource::<Map>();
        match phase {
            Phase::Start => Some(HaliteText(protocol::init(map, seat.0 + 1))),
            Phase::Move => Some(HaliteText(protocol::frame(map))),
            Phase::End => None,
        }
    }

    fn action(world: &mut World, _seat: Seat, answer: String) -> Result<HaliteAction, String> {
        let map = world.resource::<Map>();
        protocol::parse_moves(&answer, map)
            .map(HaliteAction::Moves)
            .map_err(|e| e.to_string())
    }

    fn silent(_world: &mut World, _seat: Seat, why: &Silence) -> Option<HaliteAction> {
        Some(HaliteAction::Ejected(match why {
            Silence::Late => EndReason::Timeout,
            Silence::Stopped(r) => *r,
            Silence::Malformed(_) => EndReason::Invalid,
        }))
    }

    fn greeted(world: &mut World, seat: Seat, answer: Result<&serde_json::Value, &Silence>) {
        match answer {
            Ok(serde_json::Value::String(name)) => Halite::set_name(world, seat, name),
            Ok(_) => Halite::fail_init(world, seat, EndReason::Invalid),
            Err(why) => {
                let r = match why {
                    Silence::Late => EndReason::Timeout,
                    Silence::Stopped(r) => *r,
                    Silence::Malformed(_) => EndReason::Invalid,
                };
                Halite::fail_init(world, seat, r)
            }
        }
    }

    fn greetings_done(world: &mut World) {
        Halite::after_init(world);
    }
}
