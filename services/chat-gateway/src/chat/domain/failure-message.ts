import type { ProviderFailure } from '../../metering/domain/provider-failure';

// What a member is told when the provider fails: our words, never the provider's (which can echo
// parts of the tenant's key), with the status that explains it.

export function failureMessage(failure: ProviderFailure, somethingDelivered: boolean): string {
  const { status } = failure;
  switch (failure.kind) {
    case 'upstream_timeout':
      return somethingDelivered ? 'the provider stopped sending before the answer was complete' : 'the provider did not answer in time';
    case 'upstream_rate_limited':
      return 'the provider is rate limiting this instance; retry shortly';
    case 'upstream_stream_broken':
      return 'the provider stream broke off before the answer was complete';
    case 'upstream_error':
      if (failure.credentialRejected) return "the provider rejected this instance's key";
      if (status === 404) return 'the provider does not know this model';
      if (status !== undefined && status < 500) return `the provider refused the request (${status})`;
      if (status !== undefined) return `the provider failed (${status})`;
      return 'could not reach the provider';
  }
}
