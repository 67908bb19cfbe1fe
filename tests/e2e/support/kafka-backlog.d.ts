// Types of kafka-backlog.js (plain Node so the load-test runner can use it too).
export function skipKafkaBacklog(o: { brokers: string[]; groupIds: string[]; timeoutMs?: number }): Promise<number>;
export function runGroupIds(services: string[], groupSuffix: string): string[];
