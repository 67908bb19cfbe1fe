import { z } from 'zod';
import {
  ALLOWED_MODELS_MAX,
  INSTANCE_NAME_MAX,
  NOTICE_VERSION,
  RETENTION_MAX_DAYS,
  SECURITY_LOG_MIN_DAYS,
  SYSTEM_INSTRUCTION_MAX,
  USAGE_DETAIL_MIN_DAYS,
} from '../../domain';

// Request shapes checked at the edge. Messages name the rule, never the submitted value.

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Basic RFC 5321/5322 shape (dot-atom local part, dotted DNS domain), ≤254 chars, lower-cased. */
export const emailSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .refine((email) => {
    const at = email.lastIndexOf('@');
    if (at <= 0) return false;
    const local = email.slice(0, at);
    return local.length <= 64 && LOCAL.test(local) && DOMAIN.test(email.slice(at + 1));
  }, 'must be an email address');

/** A person's display name: passed to auth only. */
const personName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters');

const instanceName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(INSTANCE_NAME_MAX, `must be at most ${INSTANCE_NAME_MAX} characters`);

export const createInstanceBody = z.strictObject({
  instanceName,
  adminEmail: emailSchema,
  adminName: personName,
});

export const addMemberBody = z.strictObject({
  email: emailSchema,
  name: personName.optional(),
  role: z.enum(['admin', 'member', 'auditor'], { error: "must be 'admin', 'member' or 'auditor'" }),
});

export const changeRoleBody = z.strictObject({
  role: z.enum(['admin', 'member', 'auditor'], { error: "must be 'admin', 'member' or 'auditor'" }),
});

const days = (min: number, rule: string) =>
  z.number({ error: 'must be a number of days' }).int('must be a whole number of days').min(min, rule).max(RETENTION_MAX_DAYS, rule);

/** Periods in days; any subset may be changed, the others keep their current (or default) value. */
const retention = z
  .strictObject({
    conversationDays: days(0, `must be 0 (keep until deleted) or 1-${RETENTION_MAX_DAYS}`).optional(),
    securityLogDays: days(SECURITY_LOG_MIN_DAYS, `must be ${SECURITY_LOG_MIN_DAYS}-${RETENTION_MAX_DAYS}`).optional(),
    usageDetailDays: days(USAGE_DETAIL_MIN_DAYS, `must be ${USAGE_DETAIL_MIN_DAYS}-${RETENTION_MAX_DAYS}`).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'must change at least one period');

/** Omitted when logging is switched on: version "1" (the domain's default). */
const noticeVersion = z.string({ error: 'must be a string' }).trim().regex(NOTICE_VERSION, 'must be 1-32 characters of A-Z a-z 0-9 . _ -');

export const changeSettingsBody = z
  .strictObject({
    instanceName: instanceName.optional(),
    systemInstruction: z.string().max(SYSTEM_INSTRUCTION_MAX, `must be at most ${SYSTEM_INSTRUCTION_MAX} characters`).optional(),
    messageLogging: z.boolean().optional(),
    privacyPolicyUrl: z.string().trim().max(2048, 'must be at most 2048 characters').optional(),
    defaultModel: z.string().trim().max(100, 'must be at most 100 characters').optional(),
    allowedModels: z.array(z.string().trim().max(100, 'must be at most 100 characters')).max(ALLOWED_MODELS_MAX).optional(),
    retention: retention.optional(),
    messageLoggingNoticeVersion: noticeVersion.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'must change at least one setting');

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'must be an id');
export const tenantParams = z.object({ tenantId: id });
export const memberParams = z.object({ tenantId: id, subjectId: id });

export const proposeTransferBody = z.strictObject({ toSubjectId: id });
