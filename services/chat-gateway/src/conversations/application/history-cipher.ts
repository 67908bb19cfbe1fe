import type { PersonalFields } from '@enclave/privacy';

export const MESSAGE_CONTENT_FIELD = 'message.content';
export const CONVERSATION_TITLE_FIELD = 'conversation.title';

/**
 * Message text and conversation titles sealed at rest with the member's subject key (one
 * key-vault call per person per key ttl, see PersonalFields). Opening gives null once the
 * person's key was shredded; rows stored before sealing existed open as they are.
 */
export class HistoryCipher {
  constructor(private readonly fields: PersonalFields) {}

  sealContent(tenantId: string, subjectId: string, text: string): Promise<string> {
    return this.fields.seal({ tenantId, subjectId, field: MESSAGE_CONTENT_FIELD }, text);
  }

  openContent(tenantId: string, subjectId: string, stored: string): Promise<string | null> {
    return this.fields.open({ tenantId, subjectId, field: MESSAGE_CONTENT_FIELD }, stored);
  }

  sealTitle(tenantId: string, subjectId: string, title: string): Promise<string> {
    return this.fields.seal({ tenantId, subjectId, field: CONVERSATION_TITLE_FIELD }, title);
  }

  openTitle(tenantId: string, subjectId: string, stored: string): Promise<string | null> {
    return this.fields.open({ tenantId, subjectId, field: CONVERSATION_TITLE_FIELD }, stored);
  }

  /** On purge: this person's key is gone for good (key-vault shreds it). */
  markShredded(tenantId: string, subjectId: string): void {
    this.fields.markShredded(tenantId, subjectId);
  }
}
