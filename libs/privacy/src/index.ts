export * from './admin-read-reasons';
export * from './field-cipher';
export * from './personal-fields';
export { GrpcSubjectKeySource } from './grpc-subject-key-source';
export { GrpcMemberRoles, type MemberRoles } from './grpc-member-roles';
