// The renderer of a game whose plug-in brings none: each frame as JSON.
import { h } from '/static/pages.js';

export function create(el, ctx) {
  const pre = h('pre', { class: 'frame', id: 'board' });
  el.append(pre);
  return { show(i) { pre.textContent = JSON.stringify(ctx.frames[i], null, 2); } };
}
