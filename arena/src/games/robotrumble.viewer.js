// RobotRumble's part of the web viewer: the 19x19 grid (the circle of
// walls, the spawn points along its inside), each unit in its team's
// colour with its health, the units that just spawned ringed and this
// turn's attacks drawn, and each team's units and health. A frame shows
// the grid after a turn: position i is labelled with the turns played
// (the frame's `turn` less one, 1 to the turn limit). Served at
// /static/games/robotrumble.js; the module contract is in docs/viewer.md.
import { h } from '/static/pages.js';

const NS = 'http://www.w3.org/2000/svg';
const SIZE = 19, CENTRE = 9, HEALTH = 5;
const TEAMS = { Blue: { seat: 0, color: '#3f7de0' }, Red: { seat: 1, color: '#e0523f' } };
const DIRS = { North: [0, -1], South: [0, 1], East: [1, 0], West: [-1, 0] };

// As games/src/robotrumble/map.rs: a wall at squared distance >= 81 from
// the centre; a spawn point inside with a wall as a four-way neighbour.
const wall = (x, y) => x < 0 || y < 0 || x >= SIZE || y >= SIZE
  || (CENTRE - x) ** 2 + (CENTRE - y) ** 2 >= CENTRE * CENTRE;
const spawn = (x, y) => !wall(x, y) && Object.values(DIRS).some(([dx, dy]) => wall(Math.max(0, x + dx), Math.max(0, y + dy)));

export function create(el, ctx) {
  const names = ctx.header.players.map((p) => p.name);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'rumbleboard');
  svg.setAttribute('id', 'board');
  const C = 24;
  svg.setAttribute('viewBox', `0 0 ${SIZE * C} ${SIZE * C}`);
  const side = h('div', { class: 'side', id: 'teams' });
  el.append(h('div', { class: 'game robotrumble' }, svg, side));
  const add = (parent, tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    parent.append(e);
    return e;
  };
  // The grid never changes: drawn once, units on a layer above it.
  const ground = add(svg, 'g', {});
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
    const cls = wall(x, y) ? 'wall' : spawn(x, y) ? 'spawn' : 'cell';
    add(ground, 'rect', { x: x * C + 1, y: y * C + 1, width: C - 2, height: C - 2, rx: 3, class: cls });
  }
  const layer = add(svg, 'g', {});

  const turnOf = (i) => { const f = ctx.frames[i]; return f ? f.turn - 1 : i + 1; };
  const nameOf = (team) => names[TEAMS[team] ? TEAMS[team].seat : 0] || team;

  function show(i) {
    const f = ctx.frames[i];
    if (!f) return;
    const before = new Set(((i > 0 && ctx.frames[i - 1]) || { units: [] }).units.map((u) => u.id));
    const at = new Map(f.units.map((u) => [u.id, u]));
    layer.innerHTML = '';
    for (const u of f.units) {
      const color = (TEAMS[u.team] || TEAMS.Blue).color;
      const g = add(layer, 'g', { 'data-unit': u.id, 'data-team': u.team, class: 'unit' });
      if (i > 0 && !before.has(u.id)) add(g, 'rect', { x: u.x * C + 0.5, y: u.y * C + 0.5, width: C - 1, height: C - 1, rx: 5, class: 'spawned' });
      add(g, 'rect', {
        x: u.x * C + 3, y: u.y * C + 3, width: C - 6, height: C - 6, rx: 4, fill: color,
        opacity: 0.45 + (0.55 * u.health) / HEALTH,
      });
      add(g, 'text', { x: u.x * C + C / 2, y: u.y * C + C / 2 + 4, class: 'health' }, String(u.health));
    }
    // This turn's attacks, from the attacker (if it is still there).
    for (const r of f.results || []) {
      const act = r.result && r.result.Act;
      const u = at.get(r.id);
      if (!act || act.kind !== 'Attack' || !u) continue;
      const [dx, dy] = DIRS[act.direction] || [0, 0];
      add(layer, 'line', {
        x1: u.x * C + C / 2, y1: u.y * C + C / 2, x2: (u.x + 0.8 * dx) * C + C / 2, y2: (u.y + 0.8 * dy) * C + C / 2,
        class: 'attack', stroke: (TEAMS[u.team] || TEAMS.Blue).color,
      });
    }
    side.innerHTML = '';
    side.append(h('div', { class: 'turninfo', id: 'rumble-turn' }, `turn ${turnOf(i)}`));
    for (const team of ['Blue', 'Red']) {
      const units = f.units.filter((u) => u.team === team);
      const health = units.reduce((a, u) => a + u.health, 0);
      const failed = f.ending && f.ending.failures && f.ending.failures[team];
      const errors = (f.results || []).filter((r) => r.result && r.result.Error && at.has(r.id) && at.get(r.id).team === team);
      side.append(h('div', { class: 'snake', 'data-team': team, 'data-units': units.length },
        h('div', { class: 'name' }, h('span', { class: 'swatch', style: `background:${TEAMS[team].color}` }), `${nameOf(team)} (${team})`),
        h('div', { class: 'bar' }, h('span', { style: `width:${Math.min(100, (100 * units.length) / 40)}%;background:${TEAMS[team].color}` })),
        h('div', { class: 'stats' }, `units ${units.length} · health ${health}`),
        errors.length ? h('div', { class: 'cause' }, `${errors.length} unit error${errors.length > 1 ? 's' : ''}: ${errors[0].result.Error}`) : null,
        failed ? h('div', { class: 'cause' }, `failed: ${failed.kind}${failed.message ? `: ${failed.message}` : ''}`) : null,
        (f.logs && f.logs[team] && f.logs[team].length)
          ? h('details', {}, h('summary', {}, `printed ${f.logs[team].length} line(s)`), h('pre', { class: 'frame' }, f.logs[team].join('\n'))) : null));
    }
    if (f.ending) {
      const e = f.ending;
      side.append(h('div', { class: 'cause', id: 'rumble-end' },
        f.winner ? `${nameOf(f.winner)} (${f.winner}) wins` : 'a draw',
        e.by === 'units' ? ` on units left: Blue ${e.blue}, Red ${e.red}` : ' (a program failed)'));
    }
  }

  return {
    show,
    label: (i) => `turn ${turnOf(i)}`,
    turnOf,
    positionOfTurn(t) {
      const i = ctx.frames.findIndex((f) => f && f.turn - 1 === t);
      return i >= 0 ? i : Math.max(0, Math.min(t - 1, ctx.frames.length - 1));
    },
    markers() {
      // Turns where a team lost units.
      const out = [];
      for (let i = 1; i < ctx.frames.length; i++) {
        const a = ctx.frames[i - 1], b = ctx.frames[i];
        if (!a || !b) continue;
        for (const team of ['Blue', 'Red']) {
          const ids = new Set(b.units.filter((u) => u.team === team).map((u) => u.id));
          const lost = a.units.filter((u) => u.team === team && !ids.has(u.id)).length;
          if (lost) out.push({ at: i, label: `turn ${turnOf(i)}: ${team} lost ${lost}`, color: TEAMS[team].color });
        }
      }
      return out;
    },
  };
}
