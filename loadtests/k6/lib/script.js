// What every test type shares: options (one scenario, SLO thresholds), setup (the runner's member
// sessions still work) and the iteration (a streamed chat through the gateway, or the JSON baseline).
import http from 'k6/http';
import { DATA, MODE } from './data.js';
import { chatJson, chatStreamed } from './chat.js';
import { SUMMARY_TREND_STATS, thresholdsFor } from './slo.js';
import { scenarioFor } from './stages.js';
import { summaryHandler } from './summary.js';

export function optionsFor(type) {
  return {
    scenarios: { [`${type}_${MODE}`]: scenarioFor(type) },
    thresholds: thresholdsFor(MODE),
    summaryTrendStats: SUMMARY_TREND_STATS,
  };
}

/** Fails fast when a session from the runner does not work (expired, wrong stack). */
export function setupCheck() {
  if (MODE !== 'stream') return { mode: MODE };
  const member = DATA.members[0];
  const res = http.get(`${DATA.gatewayUrl}/v1/conversations`, {
    headers: { authorization: `Bearer ${member.token}` },
    tags: { name: 'setup: GET /v1/conversations' },
  });
  if (res.status !== 200) throw new Error(`setup: the member session does not work on the gateway (status ${res.status})`);
  return { mode: MODE, members: DATA.members.length };
}

export function iteration() {
  if (MODE === 'json') chatJson();
  else chatStreamed();
}

export { summaryHandler };
