// Spike test: a sudden burst of users, then back — does it stay correct and recover?
// Run through `npm run loadtest` (LOADTEST_SCRIPT=spike), which signs in members and writes LOADTEST_DATA.
import { iteration, optionsFor, setupCheck, summaryHandler } from './lib/script.js';
import { MODE } from './lib/data.js';

export const options = optionsFor('spike');
export const setup = setupCheck;
export default iteration;
export const handleSummary = summaryHandler('spike', MODE);
