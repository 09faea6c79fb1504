// Halite I's part of the web viewer: the map as a grid, as the official
// visualizer draws it: each site's production as the tile's shading, an
// owned site in its player's colour with a square that grows with its
// strength (an unowned site's strength in grey), and each player's
// territory, strength and production, with a chart of territory over the
// game. Position 0 is the map before the first turn (the first frame's
// `start`), position N the map after turn N. Served at
// /static/games/halite.js; the module contract is in docs/viewer.md.
import { h, PALETTE } from '/static/pages.js';

const NS = 'http://www.w3.org/2000/svg';

/** A hex string as numbers, `per` digits each. */
function digits(s, per) {
  const out = new Array(s.length / per);
  for (let i = 0, k = 0; i < s.length; i += per, k++) out[k] = parseInt(s.substr(i, per), 16);
  return out;
}

export function create(el, ctx) {
  const names = ctx.header.players.map((p) => p.name);
  const n = names.length;
  const canvas = h('canvas', { class: 'halite', id: 'board', 'aria-label': 'the Halite map' });
  const info = h('div', { class: 'cellinfo', id: 'site' }, 'tap or hover a site');
  const side = h('div', { class: 'side', id: 'players' });
  const chart = document.createElementNS(NS, 'svg');
  chart.setAttribute('class', 'chart territory');
  chart.setAttribute('id', 'territory-chart');
  chart.setAttribute('viewBox', '0 0 300 110');
  el.append(h('div', { class: 'game halite' }, h('div', {}, canvas, info), h('div', { class: 'side' }, side, chart)));

  let productions = null;
  let W = 0, H = 0;
  // Decoded positions, by position (frames never change once they arrive).
  const cache = new Map();
  function position(i) {
    if (cache.has(i)) return cache.get(i);
    const first = ctx.frames[0];
    if (!first || !first.start) return null;
    if (!productions) {
      W = first.width; H = first.height;
      productions = digits(first.start.productions, 2);
    }
    const f = i === 0 ? first.start : ctx.frames[i - 1];
    if (!f) return null;
    const owners = digits(f.owners, 1), strengths = digits(f.strengths, 2);
    const stats = Array.from({ length: n + 1 }, () => ({ territory: 0, strength: 0, production: 0 }));
    for (let k = 0; k < owners.length; k++) {
      const s = stats[owners[k]] || stats[0];
      s.territory++; s.strength += strengths[k]; s.production += productions[k];
    }
    const p = { owners, strengths, stats };
    cache.set(i, p);
    return p;
  }
  const colorOf = (owner) => PALETTE[(owner - 1) % PALETTE.length];
  const length = () => (ctx.frames[0] ? ctx.frames.length + 1 : 0);
  let shown = 0;

  function draw(p) {
    const css = getComputedStyle(document.documentElement);
    const empty = css.getPropertyValue('--core-empty').trim() || '#111';
    const C = Math.max(6, Math.min(16, Math.floor(720 / Math.max(W, H))));
    if (canvas.width !== W * C) canvas.width = W * C;
    if (canvas.height !== H * C) canvas.height = H * C;
    const g = canvas.getContext('2d');
    g.fillStyle = empty;
    g.fillRect(0, 0, W * C, H * C);
    const maxProd = Math.max(1, ...productions);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const k = y * W + x, o = p.owners[k], s = p.strengths[k];
      // Production: the tile's brightness.
      g.globalAlpha = 0.12 + 0.5 * (productions[k] / maxProd);
      g.fillStyle = o ? colorOf(o) : '#9aa5b1';
      g.fillRect(x * C, y * C, C, C);
      // Strength: a square from a third of the tile (0) to all of it (255).
      const side = C * (0.3 + 0.7 * Math.sqrt(s / 255));
      g.globalAlpha = o ? 1 : 0.35;
      g.fillStyle = o ? colorOf(o) : '#c8ced6';
      if (o || s) g.fillRect(x * C + (C - side) / 2, y * C + (C - side) / 2, side, side);
    }
    g.globalAlpha = 1;
    canvas.dataset.width = W;
    canvas.dataset.height = H;
    canvas.dataset.owned = p.owners.filter((o) => o).length;
  }

  function panel(p, i) {
    side.innerHTML = '';
    const total = W * H;
    const rank = [...names.keys()].sort((a, b) => p.stats[b + 1].territory - p.stats[a + 1].territory);
    for (const seat of rank) {
      const s = p.stats[seat + 1];
      const out = s.territory === 0 && i > 0;
      side.append(h('div', { class: `snake${out ? ' dead' : ''}`, 'data-player': names[seat] },
        h('div', { class: 'name' }, h('span', { class: 'swatch', style: `background:${colorOf(seat + 1)}` }), names[seat]),
        h('div', { class: 'bar' }, h('span', { style: `width:${(100 * s.territory) / total}%;background:${colorOf(seat + 1)}` })),
        h('div', { class: 'stats' }, `territory ${s.territory} · strength ${s.strength} · production ${s.production}`),
        out ? h('div', { class: 'cause' }, `out of the map by turn ${deathOf(seat)}`) : null));
    }
    const u = p.stats[0];
    side.append(h('div', { class: 'muted stats' }, `unowned: ${u.territory} sites, strength ${u.strength}`));
  }

  /** The first position where a seat owns nothing (after owning). */
  function deathOf(seat) {
    for (let i = 1; i < length(); i++) {
      const p = position(i);
      if (p && p.stats[seat + 1].territory === 0) return i;
    }
    return null;
  }

  function drawChart(upTo) {
    chart.innerHTML = '';
    const N = length();
    if (N < 2) return;
    const total = W * H;
    const step = Math.max(1, Math.floor(N / 150));
    const add = (tag, attrs) => {
      const e = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      chart.append(e);
      return e;
    };
    add('text', { x: 4, y: 12, class: 'axis' }, '').textContent = 'territory';
    const X = (i) => 4 + (292 * i) / (N - 1), Y = (v) => 106 - (90 * v) / total;
    for (let seat = 0; seat < n; seat++) {
      const pts = [];
      for (let i = 0; i <= upTo; i += step) {
        const p = position(i);
        if (p) pts.push(`${X(i).toFixed(1)},${Y(p.stats[seat + 1].territory).toFixed(1)}`);
      }
      const p = position(upTo);
      if (p) pts.push(`${X(upTo).toFixed(1)},${Y(p.stats[seat + 1].territory).toFixed(1)}`);
      add('polyline', { points: pts.join(' '), fill: 'none', stroke: colorOf(seat + 1), 'stroke-width': 1.5 });
    }
    add('line', { x1: X(upTo), x2: X(upTo), y1: 14, y2: 106, class: 'grid' });
  }

  function show(i) {
    const p = position(i);
    if (!p) return;
    shown = i;
    draw(p);
    panel(p, i);
    drawChart(i);
  }

  function describeSite(ev) {
    const p = position(shown);
    if (!p) return;
    const r = canvas.getBoundingClientRect();
    const x = Math.floor(((ev.clientX - r.left) / r.width) * W), y = Math.floor(((ev.clientY - r.top) / r.height) * H);
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const k = y * W + x, o = p.owners[k];
    info.textContent = `(${x}, ${y}) · ${o ? names[o - 1] || `player ${o}` : 'unowned'} · strength ${p.strengths[k]} · production ${productions[k]}`;
  }
  canvas.addEventListener('mousemove', describeSite);
  canvas.addEventListener('click', describeSite);

  return {
    show,
    length,
    label: (i) => `turn ${i}`,
    positionOfTurn: (t) => Math.max(0, Math.min(t, length() - 1)),
    turnOf: (i) => i,
    markers() {
      const out = [];
      for (let seat = 0; seat < n; seat++) {
        const at = deathOf(seat);
        if (at !== null) out.push({ at, label: `turn ${at}: ${names[seat]} is out`, color: colorOf(seat + 1) });
      }
      return out;
    },
  };
}
