// helpdesk-core/recovery — lost-factor recovery cases: the machine, schemas, policy, views,
// labels, error codes and the RecoveryService type. What is not listed here is internal (the
// service factory, the record kind, the aggregate): hosts get the service from createHelpdesk.
export {
  recoveryMachine,
  RECOVERY_STATUSES,
  FINAL_RECOVERY_STATUSES,
  LOST_FACTORS,
  EVIDENCE_KINDS,
} from './recovery-machine.js';
export type {
  RecoveryStatus,
  RecoveryContext,
  RecoveryEvent,
  RecoveryActor,
  RecoveryEvidence,
  RecoveryStep,
  RecoveryTimingPolicy,
  RecoveryInput,
  RecoveryEffect,
  LostFactor,
  EvidenceKind,
} from './recovery-machine.js';
export {
  openRecoverySchema,
  addEvidenceSchema,
  reviewSchema,
  approveSchema,
  rejectSchema,
  cancelSchema,
  requesterViewSchema,
  listRecoverySchema,
  recoveryActorSchema,
  recoveryAgentSchema,
  evidenceSchema,
  caseIdSchema,
} from './schemas.js';
export type {
  OpenRecoveryInput,
  AddEvidenceInput,
  ReviewInput,
  ApproveInput,
  RejectInput,
  CancelInput,
  RequesterViewInput,
  ListRecoveryInput,
  RecoveryActorInput,
} from './schemas.js';
export { defaultRecoveryPolicy, recoveryPolicySchema } from './policy.js';
export type { RecoveryPolicy, RecoveryPolicyOverrides } from './policy.js';
export { recoveryErrors } from './error-codes.js';
export { recoveryStepLabel, lostFactorLabel, formatInstant } from './labels.js';
export type { RecoveryCaseView, RecoveryRequesterView, SessionRevocation } from './case-record.js';
export type { RecoveryService, OpenRecoveryResult, RecoveryPage } from './recovery-service.js';
