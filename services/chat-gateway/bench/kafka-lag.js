'use strict';
// Consumer-group lag, read from the broker (a public surface of every consumer): how many
// messages each group still has to read on the topics its live members are assigned.
const path = require('node:path');

const { Kafka, logLevel, AssignerProtocol } = require(require.resolve('kafkajs', { paths: [path.resolve(__dirname, '../../..')] }));
// The services' fix for kafkajs's 1 ms idle loop (libs/eventing, built): without it this admin
// connection alone would spin a timer in the benchmark process, taking CPU from what it measures.
require(path.resolve(__dirname, '../../../libs/eventing/dist/bus/kafkajs-idle-loop-fix.js'));

/** One admin connection for repeated reads; close() when done. */
function lagMeter(brokers) {
  const admin = new Kafka({ clientId: 'bench-lag', brokers, logLevel: logLevel.NOTHING }).admin();
  let connecting;
  let closed = false;
  return {
    /** {groupId: lag} on the topics `topics` matches; a group with no live member counts every topic it committed on. */
    async lag(groupIds, topics = /./) {
      if (closed) throw new Error('lag meter closed');
      connecting ??= admin.connect();
      await connecting;
      const ends = new Map();
      const out = {};
      const { groups } = await admin.describeGroups(groupIds);
      for (const groupId of groupIds) {
        // A group also keeps offsets of topics it no longer reads: count the assigned ones.
        const assigned = new Set();
        for (const m of groups.find((g) => g.groupId === groupId)?.members ?? []) {
          const decoded = m.memberAssignment?.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
          for (const topic of Object.keys(decoded?.assignment ?? {})) assigned.add(topic);
        }
        let lag = 0;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          if ((assigned.size > 0 && !assigned.has(topic)) || !topics.test(topic)) continue;
          if (!ends.has(topic)) ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
          for (const p of partitions) if (Number(p.offset) >= 0) lag += Math.max(0, (ends.get(topic).get(p.partition) || 0) - Number(p.offset));
        }
        out[groupId] = lag;
      }
      return out;
    },
    close: async () => {
      closed = true;
      if (connecting) await connecting.then(() => admin.disconnect(), () => undefined);
    },
  };
}

/**
 * For waitForDrain: when audit's consumer groups (of `groupIds`) have no lag left on
 * chat-gateway's topics once billing holds every fact — cheap and close to the truth while
 * audit's trail answers slowly (every fact is in Kafka once billing holds them all; audit's own
 * topic is left out: each trail query the drain probe makes is an event there).
 */
function auditCaughtUp(lags, groupIds) {
  const audit = groupIds.filter((g) => g.startsWith('audit-'));
  return {
    "audit's consumers caught up on chat-gateway's topics (Kafka lag 0 once billing held all)": async (state) =>
      audit.length > 0 && state.billed.ms !== null && Object.values(await lags.lag(audit, /chat-gateway/)).every((n) => n === 0),
  };
}

module.exports = { lagMeter, auditCaughtUp };
