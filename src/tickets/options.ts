import type { z } from 'zod';
import type { LinkPaths } from '../http/links.js';

/**
 * What a host plugs into the ticket service at `createHelpdesk({ tickets })`: code, not policy
 * (policy is JSON and lives in `policy.tickets`). Every field is optional.
 */
export interface TicketOptions {
  /**
   * The host's own ticket fields, as a zod object schema. Validated on submit and update and
   * stored on the ticket. Default: the fleet fields of the Dutch source (VIN, driver, vehicle).
   */
  fields?: z.ZodObject;
  /**
   * Where an agent or a group is told of a requester's reply or reopen: an address, or null for
   * no mail. Default: none (the domain events still say it).
   */
  agentAddress?: (target: { agentId: string } | { groupId: string }) => string | null;
  /**
   * Where the survey's rating link and a guest's ticket link point, below `publicBaseUrl`.
   * Default `/survey` and `/tickets/guest` (`DEFAULT_LINK_PATHS`); `parseLink` takes the same paths.
   */
  linkPaths?: Partial<Pick<LinkPaths, 'survey' | 'guest_ticket'>>;
}
