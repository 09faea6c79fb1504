// Core War's part of the web viewer: the core as a grid coloured by the
// warrior that last wrote each cell, the latest writes bright, each
// process's pointer, processes per warrior, the round and cycle. A replay
// stores one frame per round, so the core at an execution comes from the
// server's re-simulation (GET /api/matches/{id}/view?round=R&at=E).
// Served at /static/games/corewar.js; the contract is in docs/viewer.md.
import { h, getJSON, PALETTE } from '/static/pages.js';

const COLS = 100;

export async function create(el, ctx) {
  const names = ctx.header.players.map((p) => p.name);
  const n = names.length;
  const canvas = h('canvas', { class: 'core', id: 'core' });
  const info = h('div', { class: 'side', id: 'warriors' });
  const roundSel = h('select', { id: 'round', title: 'round' });
  const cell = h('div', { class: 'cellinfo', id: 'cellinfo' }, 'point at a cell to read it');
  el.append(h('div', { class: 'game corewar' }, h('div', {}, canvas, cell),
    h('div', {}, h('label', {}, 'round ', roundSel), info)));
  let round = 0;
  let timeline = null;
  let current = null;
  const base = `/api/matches/${ctx.matchId}/view`;
  ctx.frames.forEach((f, i) => roundSel.append(h('option', { value: i }, `${i + 1} of ${ctx.frames.length}`)));

  async function load(r) {
    round = r;
    const v = await getJSON(`${base}?round=${r}&at=0`);
    timeline = v.timeline;
    draw(v.core);
  }
  roundSel.addEventListener('change', async () => {
    await load(Number(roundSel.value));
    api.onTimelineChange && api.onTimelineChange();
    ctx.player && ctx.player.seek(0);
  });

  function draw(core) {
    current = core;
    const size = core.core_size, rows = Math.ceil(size / COLS), S = 6;
    canvas.width = COLS * S;
    canvas.height = rows * S;
    const g = canvas.getContext('2d');
    const dark = getComputedStyle(document.documentElement).getPropertyValue('--core-empty').trim() || '#222';
    g.fillStyle = dark;
    g.fillRect(0, 0, canvas.width, canvas.height);
    const filled = new Set(core.cells.map((c) => c[0]));
    for (let a = 0; a < size; a++) {
      const o = core.owners[a];
      if (o < 0 && !filled.has(a)) continue;
      g.globalAlpha = filled.has(a) ? 0.75 : 0.35;
      g.fillStyle = o < 0 ? '#888' : PALETTE[o % PALETTE.length];
      g.fillRect((a % COLS) * S, Math.floor(a / COLS) * S, S - 1, S - 1);
    }
    // The latest writes, brighter the newer.
    const newest = core.executions;
    for (const [a, w, at] of core.writes) {
      g.globalAlpha = Math.max(0.25, 1 - (newest - at) / 64);
      g.fillStyle = '#fff';
      g.fillRect((a % COLS) * S - 1, Math.floor(a / COLS) * S - 1, S + 1, S + 1);
      g.fillStyle = PALETTE[w % PALETTE.length];
      g.fillRect((a % COLS) * S, Math.floor(a / COLS) * S, S - 1, S - 1);
    }
    // Process pointers.
    g.globalAlpha = 1;
    core.processes.forEach((ps, w) => {
      g.strokeStyle = PALETTE[w % PALETTE.length];
      g.lineWidth = 2;
      for (const a of ps.slice(0, 400)) {
        g.strokeRect((a % COLS) * S - 1.5, Math.floor(a / COLS) * S - 1.5, S + 2, S + 2);
      }
    });
    info.innerHTML = '';
    const cycle = Math.floor(core.executions / Math.max(1, n));
    info.append(h('div', { id: 'cycle' }, `round ${core.round + 1} · cycle ${cycle} · execution ${core.executions}${timeline ? ` of ${timeline.executions}` : ''}`),
      h('div', { class: 'muted' }, core.round_over ? 'round over' : `cycles left (pMARS count) ${core.cycles_left}`));
    names.forEach((name, w) => {
      const ps = core.processes[w] || [];
      const dead = core.deaths.includes(w);
      info.append(h('div', { class: `warrior${dead ? ' dead' : ''}`, 'data-warrior': name },
        h('span', { class: 'swatch', style: `background:${PALETTE[w % PALETTE.length]}` }), name,
        `: ${ps.length} process${ps.length === 1 ? '' : 'es'}`,
        ps.length ? ` · next at ${ps[0]}` : '', dead ? ' · dead' : '',
        core.next_warrior === w && !core.round_over ? ' · moves next' : ''));
    });
  }

  canvas.addEventListener('mousemove', (e) => {
    if (!current) return;
    const r = canvas.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) / r.width) * COLS);
    const y = Math.floor(((e.clientY - r.top) / r.height) * Math.ceil(current.core_size / COLS));
    const a = y * COLS + x;
    if (a < 0 || a >= current.core_size) return;
    const c = current.cells.find((x) => x[0] === a);
    const o = current.owners[a];
    cell.textContent = `${a}: ${c ? c[1] : 'DAT.F $0, $0'}${o >= 0 ? ` (${names[o]})` : ''}`;
  });

  await load(0);
  const api = {
    length: () => (timeline ? timeline.executions + 1 : 1),
    label: (i) => `cycle ${Math.floor(i / Math.max(1, n))} (execution ${i})`,
    turnOf: (i) => i,
    positionOfTurn: (t) => t,
    // A round plays in about 30 s at speed 1.
    stride: () => Math.max(1, Math.round((timeline ? timeline.executions : 1) / 300)),
    markers: () => (timeline ? timeline.deaths.map(([w, at]) => ({
      at: Math.max(0, at - 1), label: `${names[w]} dies at execution ${at}`, color: PALETTE[w % PALETTE.length],
    })) : []),
    async show(i) {
      const trail = Math.max(16, 2 * api.stride());
      draw((await getJSON(`${base}?round=${round}&at=${i}&trail=${trail}`)).core);
    },
  };
  return api;
}
