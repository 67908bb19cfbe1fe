// Every span/metric attribute Enclave adds itself, in one place, so dashboards and code agree.
// Standard names (http.*, rpc.*, messaging.*, db.*) come from @opentelemetry/semantic-conventions.
// Never put personal data or secrets in an attribute: ids only.

export const ATTR_TENANT_ID = 'enclave.tenant.id';
/** Pseudonymous subject id (never an email or name). */
export const ATTR_SUBJECT_ID = 'enclave.subject.id';
export const ATTR_STREAM_ID = 'enclave.stream.id';
export const ATTR_STREAM_VERSION = 'enclave.stream.version';
export const ATTR_EVENT_ID = 'enclave.event.id';
export const ATTR_EVENT_TYPE = 'enclave.event.type';
/** Service name that made an internal call, as verified from its service token. */
export const ATTR_CALLER_SERVICE = 'enclave.caller.service';
export const ATTR_COMMAND = 'enclave.command';
export const ATTR_PROVIDER = 'enclave.provider';
export const ATTR_MODEL = 'enclave.model';
export const ATTR_CONSUMER_GROUP = 'enclave.consumer.group';
export const ATTR_DLQ_REASON = 'enclave.dlq.reason';
export const ATTR_RETRY_ATTEMPT = 'enclave.retry.attempt';
