// Load shapes per test type. Short and bounded by design (the runner's default is a ~20 s run on
// loopback); sizes come from env so the runner can provision one seat per VU.
const int = (name, fallback) => {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new Error(`${name} must be an integer 1..500`);
  return n;
};
const secs = (name, fallback) => `${int(name, fallback)}s`;

/** Scenarios of one k6 run, executing `exec` (the script's default function). */
export function scenarioFor(type) {
  switch (type) {
    case 'smoke':
      // One user, a few requests: does the path work at all and are the checks right?
      return { executor: 'constant-vus', vus: 1, duration: secs('SMOKE_SECONDS', 10), gracefulStop: '10s' };
    case 'load': {
      // Typical load: ramp up, hold, ramp down.
      const vus = int('LOAD_VUS', 5);
      const hold = int('LOAD_SECONDS', 14);
      return {
        executor: 'ramping-vus',
        startVUs: 1,
        stages: [
          { duration: '3s', target: vus },
          { duration: `${hold}s`, target: vus },
          { duration: '3s', target: 0 },
        ],
        gracefulRampDown: '10s',
        gracefulStop: '10s',
      };
    }
    case 'spike': {
      // A sudden burst above the usual load, then back: does it recover without errors?
      const base = int('SPIKE_BASE_VUS', 2);
      const peak = int('SPIKE_VUS', 15);
      return {
        executor: 'ramping-vus',
        startVUs: base,
        stages: [
          { duration: '5s', target: base },
          { duration: '2s', target: peak },
          { duration: '5s', target: peak },
          { duration: '2s', target: base },
          { duration: '5s', target: base },
        ],
        gracefulRampDown: '10s',
        gracefulStop: '10s',
      };
    }
    default:
      throw new Error(`unknown test type ${type}`);
  }
}

