'use strict';
// Starts a run's fresh consumer groups at the current end of the shared event topics. The
// services subscribe with fromBeginning, so a new group (one per run: KAFKA_GROUP_ID =
// <service>-<groupSuffix>) would first replay every event earlier runs left on the local broker
// (thousands after a load test) before reaching this run's own, which then arrive minutes late.
// Committing the end offsets first skips only events that predate the run. Groups shared with
// other runs are never touched.
const { Kafka, logLevel } = require('kafkajs');

const EVENT_TOPIC = /^enclave\.[a-z-]+\.events\.v1$/;

/**
 * One short-lived member per group (in parallel): it joins, commits the end offsets of every
 * event topic, and leaves. (kafkajs admin.setOffsets joins once per topic: minutes for a run.)
 * @param {{brokers: string[], groupIds: string[], timeoutMs?: number}} o
 * @returns {Promise<number>} how many events each group skips (summed over topics)
 */
async function skipKafkaBacklog({ brokers, groupIds, timeoutMs = 60_000 }) {
  const kafka = new Kafka({ clientId: 'e2e-backlog', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let topics;
  let ends;
  try {
    topics = (await admin.listTopics()).filter((t) => EVENT_TOPIC.test(t));
    ends = await Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));
  } finally {
    await admin.disconnect();
  }
  if (topics.length === 0) return 0;
  const commits = ends.flatMap(({ topic, offsets }) => offsets.map((p) => ({ topic, partition: p.partition, offset: p.high })));
  await Promise.all(groupIds.map((groupId) => commitEnds(kafka, groupId, topics, commits, timeoutMs)));
  return ends.reduce((sum, { offsets }) => sum + offsets.reduce((n, p) => n + (Number(p.high) - Number(p.low)), 0), 0);
}

async function commitEnds(kafka, groupId, topics, commits, timeoutMs) {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let timer;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: false });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`consumer group ${groupId} did not join within ${timeoutMs} ms`)), timeoutMs);
    });
    // Never processes a message: pauses everything as soon as it is assigned.
    await consumer.run({ autoCommit: false, eachBatch: async ({ pause }) => void pause() });
    await Promise.race([joined, timeout]);
    await consumer.commitOffsets(commits);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/** Groups a service derives from its KAFKA_GROUP_ID (billing consumes usage in batches under `<group>-usage`). */
const DERIVED_GROUPS = { billing: ['usage'] };

/** The consumer groups scripts/local-stack.js gives a run's services. */
function runGroupIds(services, groupSuffix) {
  if (!groupSuffix) throw new Error('a groupSuffix is required: shared groups must not be moved');
  return services.flatMap((name) => [`${name}-${groupSuffix}`, ...(DERIVED_GROUPS[name] ?? []).map((d) => `${name}-${groupSuffix}-${d}`)]);
}

module.exports = { skipKafkaBacklog, runGroupIds };
