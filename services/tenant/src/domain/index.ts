export * from './tenant-commands';
export * from './tenant-decider';
export * from './tenant-errors';
export * from './tenant-events';
export * from './tenant-role';
export * from './tenant-settings';
export * from './tenant-state';
export * from './tenant-membership';
