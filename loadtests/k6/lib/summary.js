// End-of-test summary: the full data as JSON for the runner (SUMMARY_FILE), and a few lines on
// stdout (k6's own text summary would need a remote jslib import; this run is offline).
export function summaryHandler(type, mode) {
  return (data) => {
    const m = data.metrics;
    const v = (name, stat) => (m[name] && m[name].values ? m[name].values[stat] : undefined);
    const ms = (x) => (x === undefined ? '-' : `${x.toFixed(1)} ms`);
    const failedThresholds = Object.entries(m)
      .filter(([, metric]) => metric.thresholds && Object.values(metric.thresholds).some((t) => !t.ok))
      .map(([name]) => name);
    const lines = [
      `[k6 ${type}/${mode}] chats=${v('chats', 'count') || 0} rps=${(v('chats', 'rate') || 0).toFixed(1)}` +
        ` p50=${ms(v('chat_duration', 'p(50)'))} p95=${ms(v('chat_duration', 'p(95)'))} p99=${ms(v('chat_duration', 'p(99)'))}` +
        ` ttfb.p95=${ms(v('chat_ttfb', 'p(95)'))} failed=${((v('http_req_failed', 'rate') || 0) * 100).toFixed(2)}%` +
        ` ok=${((v('chat_ok', 'rate') || 0) * 100).toFixed(2)}%`,
      failedThresholds.length ? `[k6 ${type}/${mode}] thresholds FAILED: ${failedThresholds.join(', ')}` : `[k6 ${type}/${mode}] thresholds ok`,
    ];
    const out = { stdout: `${lines.join('\n')}\n` };
    if (__ENV.SUMMARY_FILE) out[__ENV.SUMMARY_FILE] = JSON.stringify(data, null, 2);
    return out;
  };
}
