export * from './session-claims';
export * from './role-rank';
export * from './session-verifier';
export * from './session.guard';
export * from './session.module';
export * from './decorators';
export * from './tokens';
export * from './test-sessions';
