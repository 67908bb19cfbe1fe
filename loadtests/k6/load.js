// Load test: a few users for a short, bounded run — throughput and latency under typical load.
// Run through `npm run loadtest` (LOADTEST_SCRIPT=load), which signs in members and writes LOADTEST_DATA.
import { iteration, optionsFor, setupCheck, summaryHandler } from './lib/script.js';
import { MODE } from './lib/data.js';

export const options = optionsFor('load');
export const setup = setupCheck;
export default iteration;
export const handleSummary = summaryHandler('load', MODE);
