// Which per-member usage detail is past its retention period. Detail is kept per UTC day, so a
// day's rows go as a whole: those of every day before the day the cutoff instant falls in.
import { dayKey } from '../../usage/domain/periods';

export const DEFAULT_USAGE_DETAIL_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface UsageDetailCutoff {
  /** Rows with day < cutoffDay (YYYY-MM-DD) are deleted. */
  cutoffDay: string;
  /** Start of cutoffDay (UTC): everything deleted ended at or before this instant. */
  cutoffMs: number;
}

export function usageDetailCutoff(nowMs: number, retentionDays: number): UsageDetailCutoff {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError('retentionDays must be a positive integer');
  const cutoffDay = dayKey(new Date(nowMs - retentionDays * DAY_MS));
  return { cutoffDay, cutoffMs: Date.parse(`${cutoffDay}T00:00:00.000Z`) };
}

/** The tenant's period from its settings; the default when it never set one (or sent nonsense). */
export function usageDetailDays(configured: number | null | undefined): number {
  return typeof configured === 'number' && Number.isInteger(configured) && configured >= 1 ? configured : DEFAULT_USAGE_DETAIL_DAYS;
}
