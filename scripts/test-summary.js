// Adds up jest's JSON results of every depth into one closing line: "tests: N passed, N failed".
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let suitesFailed = 0;
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  suitesFailed += r.numFailedTestSuites;
  console.log(`${path.basename(file, '.json')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed (${r.numTotalTestSuites} suites)`);
}
if (suitesFailed > 0 && failed === 0) failed = suitesFailed; // a suite that failed to load counts
console.log(`tests: ${passed} passed, ${failed} failed`);
