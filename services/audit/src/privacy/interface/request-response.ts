import type { RequestView } from '../application/ports';
import { isOverdue } from '../domain/request';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** A request as the API shows it: times as ISO 8601, overdue computed at `nowMs`. */
export function requestResponse(view: RequestView, nowMs: number) {
  return {
    requestId: view.requestId,
    subjectId: view.subjectId,
    kind: view.kind,
    status: view.status,
    overdue: isOverdue(view, nowMs),
    openedAt: iso(view.openedAtMs),
    dueAt: iso(view.dueAtMs),
    outcome: view.outcome ?? null,
    completedAt: iso(view.completedAtMs),
    ...(view.kind === 'erasure' && {
      erasure: { phase: view.erasure ?? null, graceEndsAt: iso(view.graceEndsAtMs), purgeRequestedAt: iso(view.purgeRequestedAtMs), confirmedBy: view.confirmedBy ?? [] },
    }),
    ...(view.export && { export: view.export }),
  };
}

/** The deletion record of an erased person: no personal data. */
export function deletionRecord(view: RequestView) {
  return {
    requestId: view.requestId,
    subjectId: view.subjectId,
    confirmedBy: view.confirmedBy ?? [],
    requestedAt: iso(view.openedAtMs),
    completedAt: iso(view.completedAtMs),
  };
}
