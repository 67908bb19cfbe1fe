'use strict';
// Summarizes a .cpuprofile (e.g. from `hot-path.js --profile`): busy time only (idle excluded),
// the top functions by self time and the top modules by inclusive time.
//   node services/chat-gateway/bench/summarize-profile.js <file.cpuprofile> [top=30]
const { readFileSync } = require('node:fs');

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 30);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const timeOf = new Map();
profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const moduleOf = (frame) => {
  const url = frame.url;
  if (!url) return `(${frame.functionName || 'native'})`;
  if (url.includes('node_modules/')) {
    const rest = url.split('node_modules/').pop().split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/dist/')) return url.split('/dist/')[1].split('/').slice(0, 2).join('/');
  return url.startsWith('node:') ? url : url.split('/').slice(-2).join('/');
};

const self = new Map();
const inclusive = new Map();
let busy = 0;
for (const [id, t] of timeOf) {
  const frame = nodes.get(id).callFrame;
  if (frame.functionName === '(idle)') continue;
  busy += t;
  const key = `${frame.functionName || '(anonymous)'} ${moduleOf(frame)}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const m = moduleOf(nodes.get(cur).callFrame);
    if (!seen.has(m)) inclusive.set(m, (inclusive.get(m) ?? 0) + t), seen.add(m);
  }
}
const pct = (t) => `${((t / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`busy CPU: ${(busy / 1e6).toFixed(2)} s`);
console.log('\nself time');
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
console.log('\ninclusive by module');
for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
