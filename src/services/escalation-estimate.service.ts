import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { Escalation, EscalationStatus, ProductArea } from '../entities';

/** How many recent resolved escalations per product area an estimate looks at. */
export const ESTIMATE_SAMPLE_SIZE = 200;

/** Median time to resolution of resolved escalations, per product area. */
export interface ResolutionStats {
  medianMs: number;
  count: number;
}

/** The median of a non-empty list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * ESC-4: when engineering set no date, estimate from history: submission + the median resolution time
 * of resolved escalations in the same product area. The date depends on the data only, never on the
 * clock, so it is the same on every read; when it has passed and the escalation is still open, the
 * estimate says it is overdue instead of moving to "now". Null without history.
 */
export function estimateResolution(submittedAt: Date, stats: ResolutionStats | undefined, now: Date): { date: Date; overdue: boolean } | null {
  if (!stats || stats.count === 0) return null;
  const date = new Date(submittedAt.getTime() + stats.medianMs);
  return { date, overdue: isOverdue(date, now) };
}

/** ESC-4: an estimated date in the past, for an escalation that is not resolved. */
export function isOverdue(date: Date, now: Date): boolean {
  return date.getTime() < now.getTime();
}

/** One query per batch of product areas (a list of 50 escalations costs one statement, not 50). */
export function createResolutionStatsLoader(em: EntityManager) {
  return new DataLoader<ProductArea, ResolutionStats | undefined>(async (areas) => {
    const rows = await em.find(
      Escalation,
      { productArea: { $in: [...areas] }, status: EscalationStatus.RESOLVED, resolvedAt: { $ne: null } },
      { fields: ['productArea', 'submittedAt', 'resolvedAt'], orderBy: { resolvedAt: 'desc' }, limit: ESTIMATE_SAMPLE_SIZE * areas.length },
    );
    const durations = new Map<ProductArea, number[]>();
    for (const row of rows) {
      const list = durations.get(row.productArea) ?? [];
      if (list.length < ESTIMATE_SAMPLE_SIZE) list.push(row.resolvedAt!.getTime() - row.submittedAt.getTime());
      durations.set(row.productArea, list);
    }
    return areas.map((area) => {
      const list = durations.get(area);
      return list?.length ? { medianMs: median(list), count: list.length } : undefined;
    });
  });
}
