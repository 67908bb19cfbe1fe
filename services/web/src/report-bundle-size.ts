import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// Prints the JavaScript a first visit downloads (the entry chunk and everything it imports
// statically; lazy routes excluded), gzip-compressed, and fails the build past the budget.
// Usage: node dist/report-bundle-size.js <vite outDir>

export const FIRST_LOAD_BUDGET_BYTES = 250 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export function firstLoadFiles(manifest: Record<string, ManifestChunk>): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return [...seen].map((key) => manifest[key]!.file).filter((file) => file.endsWith('.js'));
}

function main(outDir: string): void {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  let total = 0;
  for (const file of firstLoadFiles(manifest)) {
    const size = gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length;
    total += size;
    console.log(`[web] first load  ${file}  ${(size / 1024).toFixed(1)} KB gzip`);
  }
  const verdict = total <= FIRST_LOAD_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`[web] first-load JavaScript: ${(total / 1024).toFixed(1)} KB gzip (${verdict} the ${FIRST_LOAD_BUDGET_BYTES / 1024} KB budget)`);
  if (total > FIRST_LOAD_BUDGET_BYTES) process.exitCode = 1;
}

if (require.main === module) main(process.argv[2] ?? join(__dirname, 'public'));
