import type { VirtualKeyDocument } from '../infrastructure/virtual-key.schema';

/** What owners/admins see of a key: never the key or its hash, only its last four characters. */
export interface VirtualKeyView {
  id: string;
  label: string;
  lastFour: string;
  rateLimitPerMinute: number;
  monthlyTokenLimit: number | null;
  allowedModels: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

export function toView(doc: VirtualKeyDocument): VirtualKeyView {
  return {
    id: doc.keyId,
    label: doc.label,
    lastFour: doc.lastFour,
    rateLimitPerMinute: doc.rateLimitPerMinute,
    monthlyTokenLimit: doc.monthlyTokenLimit ?? null,
    allowedModels: [...(doc.allowedModels ?? [])],
    createdAt: new Date(doc.createdAt).toISOString(),
    lastUsedAt: doc.lastUsedAt ? new Date(doc.lastUsedAt).toISOString() : null,
  };
}
