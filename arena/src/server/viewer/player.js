// The game page: one game, live or replayed, with play/pause, step, speed,
// a seek bar with markers, keyboard shortcuts and deep links
// (?turn=N&autoplay=1&speed=S). The drawing is the game's own module
// (/static/games/<game>.js, from its plug-in); see docs/viewer.md.
import { h, getJSON, spectatorToken } from './pages.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32];
const FPS = 10; // frames a second at speed 1, as the websocket replay plays

export async function gamePage(main, id) {
  const params = new URLSearchParams(location.search);
  const live = id.startsWith('live-');
  main.innerHTML = '';
  const title = h('h1', {}, live ? `Live game ${id.slice(5)}` : `Game ${id}`);
  const sub = h('p', { class: 'muted', id: 'game-meta' });
  const stage = h('div', { class: 'stage', id: 'stage' });
  const ctx = { frames: [], header: null, matchId: live ? null : Number(id), finished: !live, result: null, meta: null };
  main.append(title, sub, stage);

  if (live) await openLive(ctx, Number(id.slice(5)));
  else {
    const [replay, meta] = await Promise.all([getJSON(`/api/replays/${id}`), getJSON(`/api/matches/${id}`)]);
    ctx.header = replay.header;
    ctx.frames = replay.frames;
    ctx.meta = meta;
  }
  describe(ctx, sub);
  const mod = await import(`/static/games/${encodeURIComponent(ctx.header.game)}.js`)
    .catch(() => import('/static/games/generic.js'));
  const view = await mod.create(stage, ctx);
  const player = new Player(main, ctx, view, live);
  ctx.player = player;
  view.onTimelineChange = () => player.refresh();
  const speed = Number(params.get('speed'));
  if (speed > 0) player.setSpeed(speed);
  const turn = params.get('turn');
  await player.seek(turn !== null ? player.positionOfTurn(Number(turn)) : 0);
  if (params.get('autoplay') === '1' || live) player.play();
  document.body.dataset.ready = '1';
}

function describe(ctx, sub) {
  const m = ctx.meta;
  const players = ctx.header.players.map((p) => p.name).join(' vs ');
  sub.innerHTML = '';
  if (m) {
    sub.append(h('a', { href: `/tournaments/${encodeURIComponent(m.tournament)}` }, m.tournament),
      ` · round ${m.round} · sim ${m.sim} · ${ctx.header.game} · ${players}`);
  } else sub.append(`${ctx.header.game} · ${players}`);
}

/** Follows a live game over the spectator websocket, from its first frame. */
function openLive(ctx, gameId) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ctx.ws = ws;
    let started = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', role: 'spectator', token: spectatorToken(), protocol_version: 1 }));
    ws.onerror = () => { if (!started) reject(new Error('cannot open the websocket')); };
    ws.onclose = () => { if (ctx.player) ctx.player.connection(false); };
    ws.onmessage = (ev) => {
      const m = JSON.parse(ev.data);
      switch (m.type) {
        case 'welcome':
          ws.send(JSON.stringify({ type: 'subscribe', game_id: gameId }));
          break;
        case 'snapshot':
          ctx.header = m.header;
          // Every frame from the first, then live ones (deduplicated by version).
          ws.send(JSON.stringify({ type: 'resync', game_id: gameId, from_version: 0 }));
          if (!started) { started = true; resolve(); }
          break;
        case 'live_frame':
          ctx.frames[m.version - 1] = m.frame;
          if (ctx.player) ctx.player.grew();
          break;
        case 'game_finished':
          ctx.matchId = m.match_id;
          ctx.result = m.result;
          // Frames this connection missed (a game that ended before the
          // page opened) come from the stored replay.
          Promise.all([getJSON(`/api/matches/${m.match_id}`),
            ctx.frames.filter(Boolean).length < m.version ? getJSON(`/api/replays/${m.match_id}`) : null,
          ]).then(([meta, replay]) => {
            ctx.meta = meta;
            if (replay) ctx.frames.splice(0, ctx.frames.length, ...replay.frames);
            // Finished once every frame is here, so the result shows at the real end.
            ctx.finished = true;
            describe(ctx, document.getElementById('game-meta'));
            if (ctx.player) ctx.player.ended();
          }).catch(() => { ctx.finished = true; if (ctx.player) ctx.player.ended(); });
          // The same game, now stored: its replay's address.
          history.replaceState(null, '', `/games/${m.match_id}${location.search}`);
          ws.close();
          break;
        case 'error':
          if (!started) reject(new Error(`${m.message}`));
          break;
        default:
      }
    };
  });
}

class Player {
  constructor(main, ctx, view, live) {
    this.ctx = ctx;
    this.view = view;
    this.live = live;
    this.pos = 0;
    this.speed = 1;
    this.playing = false;
    this.following = false;
    this.timer = null;
    this.drawing = null;
    this.wanted = null;

    this.playBtn = h('button', { type: 'button', id: 'play', title: 'play / pause (space)', onclick: () => this.toggle() }, 'play');
    const btn = (label, title, f, id) => h('button', { type: 'button', title, id, onclick: f }, label);
    this.speedSel = h('select', { id: 'speed', title: 'speed (+ / -)', onchange: () => this.setSpeed(Number(this.speedSel.value)) },
      SPEEDS.map((s) => h('option', { value: s, selected: s === 1 ? true : null }, `${s}×`)));
    this.turnLabel = h('span', { id: 'turn', class: 'turn' });
    this.liveBtn = live ? btn('jump to live', 'jump to the latest frame (L)', () => this.jumpToLive(), 'jump-live') : null;
    this.liveBadge = live ? h('span', { class: 'live', id: 'live-badge' }, '● live') : null;
    this.seekBar = h('input', { type: 'range', id: 'seek', min: 0, max: 0, value: 0, step: 1, 'aria-label': 'seek' });
    this.seekBar.addEventListener('input', () => { this.following = false; this.seek(Number(this.seekBar.value)); });
    this.markers = h('div', { class: 'markers', id: 'markers' });
    this.result = h('div', { class: 'result', id: 'result', hidden: true });
    const controls = h('div', { class: 'controls' },
      btn('first', 'first (Home)', () => this.seek(0), 'first'),
      btn('◀', 'step back (←)', () => this.step(-1), 'back'),
      this.playBtn,
      btn('▶', 'step forward (→)', () => this.step(1), 'forward'),
      btn('last', 'last (End)', () => this.seek(this.length() - 1), 'last'),
      this.speedSel, this.turnLabel, this.liveBadge, this.liveBtn);
    main.append(controls, h('div', { class: 'seek' }, this.seekBar, this.markers), this.result,
      h('p', { class: 'muted keys' }, 'keys: space play/pause · ←/→ step (shift: 10) · Home/End · +/- speed', live ? ' · L live' : ''));
    document.addEventListener('keydown', (e) => this.key(e));
    this.refresh();
  }

  length() {
    return this.view.length ? this.view.length() : this.ctx.frames.length;
  }

  label(i) {
    if (this.view.label) return this.view.label(i);
    const f = this.ctx.frames[i];
    return `turn ${f && f.turn !== undefined ? f.turn : i}`;
  }

  positionOfTurn(turn) {
    if (this.view.positionOfTurn) return this.view.positionOfTurn(turn);
    const i = this.ctx.frames.findIndex((f) => f && f.turn === turn);
    return i >= 0 ? i : Math.max(0, Math.min(turn, this.length() - 1));
  }

  /** The timeline changed (new frames, another round): bar and markers. */
  refresh() {
    const n = this.length();
    this.seekBar.max = Math.max(0, n - 1);
    this.markers.innerHTML = '';
    const marks = this.view.markers ? this.view.markers() : [];
    for (const m of marks) {
      const left = n > 1 ? (100 * m.at) / (n - 1) : 0;
      this.markers.append(h('span', {
        class: 'marker', style: `left:${left}%;${m.color ? `background:${m.color}` : ''}`, title: m.label,
        onclick: () => this.seek(m.at),
      }));
    }
    this.updateLabel();
  }

  updateLabel() {
    const n = this.length();
    this.seekBar.value = this.pos;
    this.turnLabel.textContent = n ? `${this.label(this.pos)} / ${this.label(n - 1).replace(/^\D+/, '')}` : 'waiting for the first frame';
    this.turnLabel.dataset.pos = this.pos;
    const atEnd = this.ctx.finished && this.pos >= n - 1;
    this.showResult(atEnd);
    if (this.liveBadge) this.liveBadge.hidden = this.ctx.finished;
    if (this.liveBtn) this.liveBtn.hidden = this.ctx.finished;
    document.body.dataset.pos = this.pos;
    document.body.dataset.length = n;
  }

  showResult(show) {
    this.result.hidden = !show;
    if (!show) return;
    const m = this.ctx.meta;
    this.result.innerHTML = '';
    this.result.append(h('strong', {}, 'Result: '));
    if (m && m.players) {
      const sorted = [...m.players].sort((a, b) => a.placement - b.placement);
      this.result.append(...sorted.map((p) => h('span', { class: 'place' },
        `${p.placement}. ${p.player}`, p.reason && p.reason !== 'won' ? ` (${p.reason}${p.stop ? `, ${p.stop}` : ''})` : '')));
    } else this.result.append('finished');
  }

  async seek(i) {
    const n = this.length();
    this.pos = Math.max(0, Math.min(Math.round(i), Math.max(0, n - 1)));
    this.updateLabel();
    if (!n) return;
    // One draw at a time; the latest wanted position wins.
    this.wanted = this.pos;
    if (this.drawing) return this.drawing;
    this.drawing = (async () => {
      while (this.wanted !== null) {
        const at = this.wanted;
        this.wanted = null;
        try {
          await this.view.show(at);
        } catch (e) {
          console.error(e);
        }
      }
      this.drawing = null;
    })();
    return this.drawing;
  }

  step(d) {
    this.pause();
    this.following = false;
    return this.seek(this.pos + d);
  }

  setSpeed(s) {
    this.speed = s;
    if (![...this.speedSel.options].some((o) => Number(o.value) === s)) {
      this.speedSel.append(h('option', { value: s }, `${s}×`));
    }
    this.speedSel.value = String(s);
  }

  toggle() { if (this.playing) this.pause(); else this.play(); }

  play() {
    if (!this.live && this.pos >= this.length() - 1) this.seek(0);
    this.playing = true;
    this.playBtn.textContent = 'pause';
    document.body.dataset.playing = '1';
    this.schedule();
  }

  pause() {
    this.playing = false;
    this.playBtn.textContent = 'play';
    document.body.dataset.playing = '0';
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.live) {
      const u = new URL(location.href);
      u.searchParams.set('turn', this.view.turnOf ? this.view.turnOf(this.pos) : this.pos);
      u.searchParams.delete('autoplay');
      history.replaceState(null, '', u);
    }
  }

  schedule() {
    clearTimeout(this.timer);
    if (!this.playing) return;
    this.timer = setTimeout(() => this.tick(), 1000 / (FPS * this.speed));
  }

  async tick() {
    if (!this.playing) return;
    const n = this.length();
    const stride = this.view.stride ? this.view.stride() : 1;
    if (this.following) this.pos = n - 1;
    if (this.pos < n - 1) await this.seek(Math.min(n - 1, this.pos + stride));
    else if (this.ctx.finished) { this.pause(); this.updateLabel(); return; }
    // Live and caught up: wait for the next frame (grew() wakes us).
    this.schedule();
  }

  /** A live frame arrived. */
  grew() {
    const wasAtEnd = this.following;
    this.refresh();
    if (wasAtEnd) this.seek(this.length() - 1);
  }

  jumpToLive() {
    this.following = true;
    this.seek(this.length() - 1);
    if (!this.playing) this.play();
  }

  ended() {
    this.refresh();
    if (this.following) this.seek(this.length() - 1);
  }

  connection(open) {
    if (!open && !this.ctx.finished && this.liveBadge) this.liveBadge.textContent = 'disconnected';
  }

  key(e) {
    if (e.target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName) && e.key !== ' ') return;
    const big = e.shiftKey ? 10 : 1;
    switch (e.key) {
      case ' ': this.toggle(); break;
      case 'ArrowRight': this.step(big); break;
      case 'ArrowLeft': this.step(-big); break;
      case 'Home': this.step(-this.length()); break;
      case 'End': this.step(this.length()); break;
      case '+': case '=': this.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(this.speed) + 1)] || 1); break;
      case '-': this.setSpeed(SPEEDS[Math.max(0, SPEEDS.indexOf(this.speed) - 1)] || 1); break;
      case 'l': case 'L': if (this.live) this.jumpToLive(); break;
      default: return;
    }
    e.preventDefault();
  }
}
