// BattleSnake's part of the web viewer: the board (food, hazards, snakes;
// y grows upwards as in the Battlesnake API) and each snake's health,
// length, latency and elimination cause. Served at
// /static/games/battlesnake.js; the module contract is in docs/viewer.md.
import { h, PALETTE } from '/static/pages.js';

const NS = 'http://www.w3.org/2000/svg';

export function create(el, ctx) {
  const seatOf = new Map();
  ctx.header.players.forEach((p, i) => seatOf.set(p.name, i));
  const colorOf = (snake, i) => (snake.customizations && snake.customizations.color) || PALETTE[i % PALETTE.length];
  const board = document.createElementNS(NS, 'svg');
  board.setAttribute('class', 'snakeboard');
  board.setAttribute('id', 'board');
  const side = h('div', { class: 'side', id: 'snakes' });
  el.append(h('div', { class: 'game battlesnake' }, board, side));
  // Ids in first-seen order give each snake its colour for the whole game.
  const order = [];
  const idx = (id) => { let i = order.indexOf(id); if (i < 0) { order.push(id); i = order.length - 1; } return i; };
  // A snake's body as last seen at or before position i (eliminated
  // snakes leave the board's list: they are drawn as they were).
  function lastSeen(id, i) {
    for (let j = Math.min(i, ctx.frames.length - 1); j >= 0; j--) {
      const s = ctx.frames[j] && ctx.frames[j].board.snakes.find((x) => x.id === id);
      if (s) return s;
    }
    return null;
  }

  const nameOf = (id, i) => { const s = lastSeen(id, i); return s ? s.name : id; };

  function show(i) {
    const f = ctx.frames[i];
    if (!f) return;
    // Colours by the first frame's order, whichever position is drawn first.
    if (!order.length && ctx.frames[0]) ctx.frames[0].board.snakes.forEach((s) => idx(s.id));
    const b = f.board;
    const W = b.width, H = b.height, C = 20;
    board.setAttribute('viewBox', `0 0 ${W * C} ${H * C}`);
    board.innerHTML = '';
    const add = (tag, attrs) => {
      const e = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      board.append(e);
      return e;
    };
    const X = (p) => p.x * C, Y = (p) => (H - 1 - p.y) * C;
    for (let x = 0; x < W; x++) for (let y = 0; y < H; y++) {
      add('rect', { x: x * C + 1, y: y * C + 1, width: C - 2, height: C - 2, class: 'cell' });
    }
    for (const z of b.hazards || []) add('rect', { x: X(z), y: Y(z), width: C, height: C, class: 'hazard' });
    for (const food of b.food || []) add('circle', { cx: X(food) + C / 2, cy: Y(food) + C / 2, r: C / 4, class: 'food' });
    // Snakes already out: faded where they died, a cross on the head, the
    // cause and turn as the tooltip.
    const alive = new Set(b.snakes.map((s) => s.id));
    for (const e of f.eliminated || []) {
      const s = alive.has(e.id) ? null : lastSeen(e.id, i);
      if (!s) continue;
      const color = colorOf(s, idx(e.id));
      const g = document.createElementNS(NS, 'g');
      g.setAttribute('class', 'deadsnake');
      g.setAttribute('data-dead', s.name);
      const tip = document.createElementNS(NS, 'title');
      tip.textContent = `${s.name}: eliminated turn ${e.turn}, ${e.cause}${e.by ? ` by ${nameOf(e.by, i)}` : ''}`;
      g.append(tip);
      board.append(g);
      for (const p of s.body) {
        if (p.x < 0 || p.y < 0 || p.x >= W || p.y >= H) continue;
        const r = document.createElementNS(NS, 'rect');
        for (const [k, v] of Object.entries({ x: X(p) + 3, y: Y(p) + 3, width: C - 6, height: C - 6, rx: 3, fill: color })) r.setAttribute(k, v);
        g.append(r);
      }
      const head = s.body[0];
      if (head && head.x >= 0 && head.y >= 0 && head.x < W && head.y < H) {
        const t = document.createElementNS(NS, 'text');
        for (const [k, v] of Object.entries({ x: X(head) + C / 2, y: Y(head) + C / 2 + 4, class: 'cross' })) t.setAttribute(k, v);
        t.textContent = '✕';
        g.append(t);
      }
    }
    for (const s of b.snakes) {
      const color = colorOf(s, idx(s.id));
      const body = s.body;
      for (let k = body.length - 1; k >= 0; k--) {
        const p = body[k];
        add('rect', {
          x: X(p) + 2, y: Y(p) + 2, width: C - 4, height: C - 4, rx: k === 0 ? 6 : 3,
          fill: color, opacity: k === 0 ? 1 : 0.85 - (0.4 * k) / Math.max(1, body.length),
        });
        if (k > 0) {
          const q = body[k - 1];
          if (Math.abs(q.x - p.x) + Math.abs(q.y - p.y) === 1) {
            add('line', { x1: X(p) + C / 2, y1: Y(p) + C / 2, x2: X(q) + C / 2, y2: Y(q) + C / 2, stroke: color, 'stroke-width': C - 8 });
          }
        }
      }
      if (body.length) add('circle', { cx: X(body[0]) + C / 2, cy: Y(body[0]) + C / 2, r: 2.5, class: 'eye' });
    }
    // Snakes already out: as they were last seen, faded.
    const out = new Map((f.eliminated || []).map((e) => [e.id, e]));
    side.innerHTML = '';
    for (const id of order) {
      const s = alive.has(id) ? b.snakes.find((x) => x.id === id) : lastSeen(id, i);
      if (!s) continue;
      const seen = { color: colorOf(s, idx(id)) };
      const e = out.get(id);
      const health = alive.has(id) ? s.health : 0;
      side.append(h('div', { class: `snake${alive.has(id) ? '' : ' dead'}`, 'data-snake': s.name },
        h('div', { class: 'name' }, h('span', { class: 'swatch', style: `background:${seen.color}` }), s.name),
        h('div', { class: 'bar' }, h('span', { style: `width:${Math.max(0, Math.min(100, health))}%;background:${seen.color}` })),
        h('div', { class: 'stats' }, `health ${health} · length ${s.length} · latency ${s.latency} ms`),
        e ? h('div', { class: 'cause' }, `eliminated turn ${e.turn}: ${e.cause}${e.by ? ` by ${nameOf(e.by, i)}` : ''}`) : null));
    }
  }

  return {
    show,
    markers() {
      const lastFrame = ctx.frames[ctx.frames.length - 1];
      return ((lastFrame && lastFrame.eliminated) || []).map((e) => ({
        at: Math.max(0, ctx.frames.findIndex((f) => f && f.turn === e.turn)),
        label: `turn ${e.turn}: ${e.id} ${e.cause}`,
        color: PALETTE[(seatOf.has(e.id) ? seatOf.get(e.id) : e.seat) % PALETTE.length],
      }));
    },
  };
}
