import type { BreachView } from '../application/ports';
import { isBreachOverdue } from '../domain/breach';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** An incident as the API shows it: times as ISO 8601, overdue computed at `nowMs`; no description. */
export function breachResponse(view: BreachView, nowMs: number) {
  return {
    incidentId: view.incidentId,
    severity: view.severity,
    affectedSubjectCount: view.affectedSubjectCount,
    status: view.status,
    detectedAt: iso(view.detectedAtMs),
    notifyBy: iso(view.notifyByMs),
    recordedAt: iso(view.recordedAtMs),
    resolvedAt: iso(view.resolvedAtMs),
    notifiedAt: iso(view.notifiedAtMs),
    recipients: view.recipients ?? null,
    overdue: isBreachOverdue(view, nowMs),
  };
}
