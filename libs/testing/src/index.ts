export { loadInfraEnv, findRepoRoot, infraEnvPath, parseEnvFile, toInfraEnv, INFRA_NOT_RUNNING } from './infra-env';
export type { InfraEnv } from './infra-env';
export { uniqueName } from './unique-name';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
export { SmtpCatcherClient } from './smtp-catcher-client';
export type { CaughtMail, WaitForMailOptions } from './smtp-catcher-client';
export { scanForPlaintext } from './plaintext-scanner';
export type { PlaintextScan } from './plaintext-scanner';
