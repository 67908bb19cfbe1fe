export * from './add-member';
export * from './change-settings';
export * from './create-instance';
export * from './ports';
export * from './remove-member';
export * from './run-tenant-command';
export * from './tenant-queries';
