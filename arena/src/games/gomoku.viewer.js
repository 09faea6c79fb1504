// Gomoku's part of the web viewer: the stones on the board, the last one
// marked, the winning five drawn through, who moves next. Served at
// /static/games/gomoku.js; the module contract is in docs/viewer.md.
import { h } from '/static/pages.js';

const NS = 'http://www.w3.org/2000/svg';

export function create(el, ctx) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'goboard');
  svg.setAttribute('id', 'board');
  const side = h('div', { class: 'side', id: 'stones' });
  el.append(h('div', { class: 'game gomoku' }, svg, side));
  const names = ctx.header.players.map((p) => p.name);

  function show(i) {
    const f = ctx.frames[i];
    if (!f) return;
    const n = f.size, C = 24, P = C;
    svg.setAttribute('viewBox', `0 0 ${(n - 1) * C + 2 * P} ${(n - 1) * C + 2 * P}`);
    svg.innerHTML = '';
    const add = (tag, attrs) => {
      const e = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      svg.append(e);
      return e;
    };
    add('rect', { x: 0, y: 0, width: (n - 1) * C + 2 * P, height: (n - 1) * C + 2 * P, class: 'wood' });
    for (let k = 0; k < n; k++) {
      add('line', { x1: P, y1: P + k * C, x2: P + (n - 1) * C, y2: P + k * C, class: 'gridline' });
      add('line', { x1: P + k * C, y1: P, x2: P + k * C, y2: P + (n - 1) * C, class: 'gridline' });
    }
    let black = 0, white = 0;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      const s = f.board[r * n + c];
      if (s === '.') continue;
      if (s === 'B') black++; else white++;
      add('circle', { cx: P + c * C, cy: P + r * C, r: C * 0.42, class: s === 'B' ? 'black' : 'white', 'data-stone': s });
    }
    if (f.last) {
      const [r, c] = Array.isArray(f.last) ? f.last : [f.last.row, f.last.col];
      if (r !== undefined) add('circle', { cx: P + c * C, cy: P + r * C, r: C * 0.15, class: 'lastmark' });
    }
    if (f.line) {
      const [a, b] = [f.line[0], f.line[4]];
      add('line', { x1: P + a[1] * C, y1: P + a[0] * C, x2: P + b[1] * C, y2: P + b[0] * C, class: 'five' });
    }
    side.innerHTML = '';
    side.append(h('div', {}, `black stones ${black} · white stones ${white}`),
      f.next !== undefined ? h('div', {}, `to move: ${names[f.next] || `seat ${f.next}`}`) : h('div', {}, 'game over'),
      f.forfeit ? h('div', { class: 'cause' }, `forfeit: ${JSON.stringify(f.forfeit)}`) : null);
  }
  return { show };
}
