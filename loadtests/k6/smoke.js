// Smoke test: one user, a few chats — does the path work and do the checks hold?
// Run through `npm run loadtest` (LOADTEST_SCRIPT=smoke), which signs in members and writes LOADTEST_DATA.
import { iteration, optionsFor, setupCheck, summaryHandler } from './lib/script.js';
import { MODE } from './lib/data.js';

export const options = optionsFor('smoke');
export const setup = setupCheck;
export default iteration;
export const handleSummary = summaryHandler('smoke', MODE);
