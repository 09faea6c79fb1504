// The viewer's entry: picks the page from the path, and the theme.
import { indexPage, tournamentPage, leaderboardPage } from './pages.js';
import { gamePage } from './player.js';

const root = document.documentElement;
const saved = localStorage.getItem('arena-theme');
if (saved) root.dataset.theme = saved;
document.getElementById('theme').addEventListener('click', () => {
  const dark = root.dataset.theme
    ? root.dataset.theme === 'dark'
    : matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = dark ? 'light' : 'dark';
  localStorage.setItem('arena-theme', root.dataset.theme);
});

const main = document.getElementById('main');
const path = decodeURIComponent(location.pathname);
let m;
let page;
if (path === '/' || path === '') page = indexPage(main);
else if ((m = path.match(/^\/tournaments\/(.+)$/))) page = tournamentPage(main, m[1]);
else if ((m = path.match(/^\/games\/([^/]+)$/))) page = gamePage(main, m[1]);
else if (path === '/leaderboard') page = leaderboardPage(main);
else main.textContent = `No page at ${path}.`;
Promise.resolve(page).catch((e) => {
  main.innerHTML = '';
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = String(e && e.message ? e.message : e);
  main.append(p);
  document.body.dataset.error = '1';
});
