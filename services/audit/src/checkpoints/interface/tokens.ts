/** Nest injection token of the CheckpointStore (an interface has no runtime value). */
export const CheckpointStoreToken = Symbol('AUDIT_CHECKPOINT_STORE');
