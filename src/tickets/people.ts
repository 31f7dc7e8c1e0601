// The people around a ticket besides its requester and assignee: followers (CC'd colleagues and
// agents) and the requester's rating. Plain data, kept apart so the machine and the services
// that fill it in share the types without importing each other.

/** Someone who hears about a ticket besides its requester: a CC'd colleague or a following agent. */
export interface TicketFollower {
  /** `cc`: a colleague of the requester's organisation (an account); `agent`: an agent following. */
  kind: 'cc' | 'agent';
  /** The account id of a colleague, the agent id of an agent. */
  id: string;
  /** Where their mail goes (an account's address, or the host's `agentAddress`). */
  email: string;
  /**
   * A colleague's display name (else login), which his mails greet him by; an agent's id (the host
   * vouches for no name), so an agent's mails greet him as a colleague, never by it.
   */
  name: string;
}

/** A rating the requester gave through the survey link. */
export interface TicketSatisfaction {
  score: 'good' | 'bad';
  /** Null when none was given. */
  comment: string | null;
  ratedAt: number;
}

/** The satisfaction survey after a ticket is solved. */
export interface SurveyPolicy {
  /** Whether a survey mail goes out. Default false. */
  enabled: boolean;
  /** How long after solving it goes out. Default 24 h. */
  delay: number;
}

/** Which status notices the requester and followers get. Each default true. */
export interface StatusNoticePolicy {
  solved: boolean;
  onHold: boolean;
  resumed: boolean;
  reopened: boolean;
}

/** The largest number of followers a ticket takes. */
export const MAX_FOLLOWERS = 50;
