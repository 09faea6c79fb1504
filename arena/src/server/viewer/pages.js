// The list pages: tournaments, one tournament, the leaderboard.

/** Makes an element: h('a', {href: '/'}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * A private tournament's spectator token: given once as `?token=T` in a
 * page's address, then kept for this tab (and taken out of the address,
 * so a copied link does not carry it).
 */
export function spectatorToken() {
  const u = new URL(location.href);
  const given = u.searchParams.get('token');
  if (given) {
    sessionStorage.setItem('arena-spectator-token', given);
    u.searchParams.delete('token');
    history.replaceState(null, '', u.pathname + u.search + u.hash);
  }
  return sessionStorage.getItem('arena-spectator-token') || undefined;
}

/** GETs JSON; an error reply becomes an Error with the server's message. */
export async function getJSON(url) {
  const token = spectatorToken();
  const r = await fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error((body && body.error && body.error.message) || `${url}: HTTP ${r.status}`);
  return body;
}

export const PALETTE = ['#e0523f', '#3f7de0', '#35a852', '#d9a21b', '#9b4fd1', '#1fb5b5', '#e0499b', '#7a7a7a'];

const fmt = (x, d = 0) => (x === undefined || x === null ? '–' : Number(x).toFixed(d));

function table(head, rows, attrs = {}) {
  return h('div', { class: 'scroll' },
    h('table', attrs,
      h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))),
      h('tbody', {}, rows)));
}

function stateBadge(state, live) {
  return h('span', { class: `state state-${state}` },
    live ? h('span', { class: 'live', title: 'live' }, '● live ') : null, state);
}

export async function indexPage(main) {
  document.title = 'Tournaments · arena';
  const data = await getJSON('/api/overview');
  main.innerHTML = '';
  main.append(h('h1', {}, 'Tournaments'));
  if (!data.tournaments.length) {
    main.append(h('p', { class: 'muted' }, 'No tournament yet: start one with `arena run` or an admin’s create_tournament.'));
    return;
  }
  const rows = data.tournaments.map((t) => h('tr', { 'data-tournament': t.name, class: t.state === 'running' ? 'running' : '' },
    h('td', {}, h('a', { href: `/tournaments/${encodeURIComponent(t.name)}` }, t.name)),
    h('td', {}, t.game),
    h('td', {}, t.format),
    h('td', {}, stateBadge(t.state, t.state === 'running' || t.live_games > 0)),
    h('td', { class: 'num' }, `${t.rounds_finished} / ${t.rounds === null ? '?' : t.rounds + 1}`),
    h('td', {}, t.players.join(', '))));
  main.append(table(['name', 'game', 'format', 'state', 'rounds', 'players'], rows, { id: 'tournaments' }));
  document.body.dataset.ready = '1';
  if (data.tournaments.some((t) => t.state === 'running')) setTimeout(() => indexPage(main), 3000);
}

/** An SVG chart of each player's rating after every round. */
function ratingChart(rounds, players, system) {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 640, H = 260, L = 48, R = 100, T = 12, B = 28;
  const pts = players.map((p) => rounds
    .filter((r) => r.ratings[p] && r.ratings[p][system] !== undefined)
    .map((r) => [r.round, r.ratings[p][system]]));
  const all = pts.flat();
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${system} rating after each round`);
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  if (!all.length) {
    el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'axis' }, 'no ratings yet');
    return svg;
  }
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y1 - y0 < 1) { y0 -= 10; y1 += 10; }
  const X = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const Y = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    el('line', { x1: L, x2: W - R, y1: Y(v), y2: Y(v), class: 'grid' });
    el('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end', class: 'axis' }, Math.round(v));
  }
  for (let r = x0; r <= x1; r++) el('text', { x: X(r), y: H - 8, 'text-anchor': 'middle', class: 'axis' }, r);
  players.forEach((p, i) => {
    const line = pts[i];
    if (!line.length) return;
    const color = PALETTE[i % PALETTE.length];
    el('polyline', { points: line.map(([x, y]) => `${X(x)},${Y(y)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 });
    for (const [x, y] of line) el('circle', { cx: X(x), cy: Y(y), r: 3, fill: color });
    const [lx, ly] = line[line.length - 1];
    el('text', { x: X(lx) + 6, y: Y(ly) + 4, fill: color, class: 'label' }, p);
  });
  return svg;
}

export async function tournamentPage(main, name) {
  document.title = `${name} · arena`;
  const [t, games] = await Promise.all([
    getJSON(`/api/tournaments/${encodeURIComponent(name)}/rounds`),
    getJSON(`/api/tournaments/${encodeURIComponent(name)}/games`),
  ]);
  main.innerHTML = '';
  const live = games.live.filter((g) => g.live);
  main.append(h('h1', {}, name, ' ', stateBadge(t.state, live.length > 0)),
    h('p', { class: 'muted' }, `${t.game} · ${t.players.length} players · ${t.rounds.filter((r) => r.finished).length} rounds played`));

  main.append(h('h2', {}, 'Standings'));
  const srows = t.standings.map((s, i) => h('tr', { 'data-player': s.player },
    h('td', { class: 'num' }, i + 1),
    h('td', {}, h('span', { class: 'swatch', style: `background:${PALETTE[t.players.indexOf(s.player) % PALETTE.length]}` }), s.player),
    h('td', { class: 'num' }, s.rounds_won),
    h('td', { class: 'num' }, s.sims_won),
    h('td', { class: 'num' }, fmt(s.ratings.elo)),
    h('td', { class: 'num' }, fmt(s.ratings.codeforces)),
    h('td', { class: 'num' }, fmt(s.ratings.codeelo)),
    h('td', { class: 'num' }, s.bradley_terry === null ? '–'
      : `${fmt(s.bradley_terry)}${s.bradley_terry_interval ? ` [${fmt(s.bradley_terry_interval[0])}, ${fmt(s.bradley_terry_interval[1])}]` : ''}`)));
  main.append(table(['#', 'player', 'rounds won', 'sims won', 'Elo', 'Codeforces', 'CodeElo', 'Bradley-Terry [95%]'], srows, { id: 'standings' }));

  main.append(h('h2', {}, 'Rating after each round'));
  const systems = ['elo', 'codeforces', 'codeelo', 'bradley-terry'].filter((s) => t.rounds.some((r) => Object.values(r.ratings).some((x) => x[s] !== undefined)));
  const chartBox = h('div', { class: 'chartbox' });
  let system = systems[0] || 'elo';
  const draw = () => { chartBox.innerHTML = ''; chartBox.append(ratingChart(t.rounds, t.players, system)); };
  main.append(h('div', { class: 'tabs' }, systems.map((s) => h('button', {
    type: 'button', class: s === system ? 'on' : '', onclick: (e) => {
      system = s; draw();
      for (const b of e.target.parentNode.children) b.className = b === e.target ? 'on' : '';
    },
  }, s))), chartBox);
  draw();

  if (live.length) {
    main.append(h('h2', {}, h('span', { class: 'live' }, '● '), 'Live games'));
    main.append(h('ul', { class: 'games', id: 'live-games' }, live.map((g) => h('li', {},
      h('a', { href: `/games/live-${g.game_id}` }, `round ${g.round} · sim ${g.sim}: ${g.players.join(' vs ')}`),
      ` (turn ${Math.max(0, g.version - 1)})`))));
  }

  main.append(h('h2', {}, 'Rounds'));
  const rrows = t.rounds.map((r) => h('tr', {},
    h('td', { class: 'num' }, r.round),
    h('td', {}, r.finished ? (r.winner || 'tie') : 'playing'),
    h('td', { class: 'num' }, r.sims),
    h('td', {}, t.players.map((p) => `${p} ${r.wins[p] || 0}`).join(' · ')),
    h('td', {}, r.invalid.length ? r.invalid.map((x) => h('div', { class: 'invalid' }, `${x.player}: ${x.reason}`)) : '–')));
  main.append(table(['round', 'winner', 'sims', 'sims won', 'invalid submissions'], rrows, { id: 'rounds' }));

  main.append(h('h2', {}, 'Games'));
  const byRound = new Map();
  for (const g of games.stored) {
    if (!byRound.has(g.round)) byRound.set(g.round, []);
    byRound.get(g.round).push(g);
  }
  const list = h('div', { id: 'stored-games' });
  for (const [round, gs] of byRound) {
    const d = h('details', { open: byRound.size <= 2 ? true : null }, h('summary', {}, `round ${round}: ${gs.length} games`),
      h('ul', { class: 'games' }, gs.map((g) => h('li', {},
        h('a', { href: `/games/${g.match_id}` }, `#${g.match_id} sim ${g.sim}`), ': ',
        g.players.map((p) => `${p.player} (${p.placement}${p.placement === 1 ? '' : `, ${p.reason}`})`).join(' vs '),
        ` · ${g.turns} turns`))));
    list.append(d);
  }
  if (!games.stored.length) list.append(h('p', { class: 'muted' }, 'No stored game yet.'));
  main.append(list);
  document.body.dataset.ready = '1';
  if (t.state === 'running') setTimeout(() => tournamentPage(main, name).catch(() => {}), 3000);
}

export async function leaderboardPage(main) {
  document.title = 'Leaderboard · arena';
  const data = await getJSON('/api/ratings');
  main.innerHTML = '';
  main.append(h('h1', {}, 'Leaderboard'));
  if (!data.pools.length) main.append(h('p', { class: 'muted' }, 'No rated games yet.'));
  for (const pool of data.pools) {
    main.append(h('h2', {}, `${pool.game} ${pool.rules_version}`),
      h('p', { class: 'muted' }, `${pool.matches} games${pool.anchors && pool.anchors.length ? ` · anchors: ${pool.anchors.map((a) => a.name).join(', ')}` : ''}`));
    const rows = pool.players.map((p, i) => h('tr', {},
      h('td', { class: 'num' }, i + 1),
      h('td', {}, p.name),
      h('td', { class: 'num' }, p.matches),
      h('td', { class: 'num' }, fmt(p.bradley_terry)),
      h('td', { class: 'num' }, p.bradley_terry_interval ? `[${fmt(p.bradley_terry_interval[0])}, ${fmt(p.bradley_terry_interval[1])}]` : '–'),
      h('td', { class: 'num' }, fmt(p.elo)),
      h('td', { class: 'num' }, `${fmt(p.weng_lin, 1)} ± ${fmt(p.weng_lin_sigma, 1)}`),
      h('td', {}, typeof p.standing === 'string' ? p.standing : JSON.stringify(p.standing))));
    main.append(table(['#', 'player', 'games', 'Bradley-Terry', '95%', 'Elo', 'Weng-Lin', 'standing'], rows, { class: 'pool' }));
    if (pool.codeclash && pool.codeclash.players.length) {
      main.append(h('h3', {}, 'CodeClash method'),
        table(['player', 'Elo', '±'], pool.codeclash.players.map((p) => h('tr', {},
          h('td', {}, p.name), h('td', { class: 'num' }, fmt(p.elo)), h('td', { class: 'num' }, fmt(p.elo_std))))));
    }
  }
  document.body.dataset.ready = '1';
}
