// helpdesk-core/recovery — lost-factor recovery cases: the machine, schemas, policy and views.
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
  evidenceSchema,
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
export { RECOVERY_CASE_KIND } from './records.js';
export type { RecoveryCaseView, RecoveryRequesterView, SessionRevocation } from './records.js';
export type { RecoveryService, OpenRecoveryResult, RecoveryPage } from './service.js';
