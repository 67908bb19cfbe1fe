import type { z } from 'zod';

/** A validation problem described without the offending value (values may be secrets). */
export interface IssueSummary {
  path: string;
  code: string;
  message: string;
}

export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): IssueSummary[] {
  return issues.map((issue) => ({
    path: issue.path.map((part) => String(part)).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** "body.email: Invalid email address; name: Required" — field names and reasons only. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return summarizeIssues(issues)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
}
