// `npm run bench`: builds nothing and asserts nothing — it starts the local infrastructure if
// needed and runs every service benchmark in turn, each printing its own figures and whether
// its target is met. Benchmarks measure; tests never assert on time.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const BENCHES = [
  ['audit: ingest and verification', 'services/audit/bench/audit-bench.js'],
  ['key-vault: decrypt latency and seals', 'services/key-vault/bench/kv-bench.js'],
  ['chat-gateway: hot path vs direct and Portkey', 'services/chat-gateway/bench/hot-path.js'],
  ['database: the platform workload on the local MongoDB-wire server', 'scripts/bench-db.js'],
  // The whole pipeline on its own local stack: RPS and p99 vs Portkey, first delta with history,
  // a 60 s burst and its drain into billing and audit, peak memory per process, idle CPU.
  ['whole pipeline: burst, drain, memory, idle CPU, vs Portkey', 'services/chat-gateway/bench/pipeline.js'],
];
const only = process.argv.slice(2);

execFileSync('bash', [path.join(root, 'scripts/infra.sh'), 'up'], { stdio: 'inherit' });
let failed = 0;
for (const [title, file] of BENCHES) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  console.log(`\n=== ${title} (${file})`);
  if (!fs.existsSync(path.join(root, file))) {
    console.log('missing benchmark script');
    failed += 1;
    continue;
  }
  const run = spawnSync(process.execPath, [path.join(root, file)], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
