'use strict';
// Preloaded into chat-gateway by `hot-path.js --profile`: CPU-profiles the process from start
// and writes the profile to $HOT_PATH_PROFILE when it receives SIGUSR2 (sent after the load).
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(process.env.HOT_PATH_PROFILE, JSON.stringify(result.profile));
    process.emit('hot-path-profile-written');
  });
});
