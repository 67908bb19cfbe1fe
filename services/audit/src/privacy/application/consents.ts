// Consent: the person records their own choice (an event in audit's store, relayed into the
// log); the current state and history are read back from the log itself.
import type { Actor, TenantId } from '@enclave/eventing';
import { foldConsents, type ConsentView } from '../domain/consents';
import type { ConsentPurpose } from '../domain/privacy-events';
import type { PrivacyLogReader, PrivacyStreams } from './ports';

export class Consents {
  constructor(
    private readonly streams: PrivacyStreams,
    private readonly log: PrivacyLogReader,
    private readonly onAppended: () => void = () => undefined,
  ) {}

  async record(tenant: TenantId, actor: Actor, choice: { purpose: ConsentPurpose; textVersion: string; granted: boolean }): Promise<void> {
    const subjectId = actor.id;
    const { purpose, textVersion } = choice;
    await this.streams.appendLoose(tenant, subjectId, actor, [
      choice.granted ? { type: 'ConsentGranted', subjectId, purpose, textVersion } : { type: 'ConsentWithdrawn', subjectId, purpose, textVersion },
    ]);
    this.onAppended();
  }

  async view(tenant: TenantId, subjectId: string): Promise<ConsentView> {
    return foldConsents(await this.log.consentEntries(tenant, subjectId));
  }
}
