import { z } from 'zod';

/**
 * How a ticket reached the helpdesk.
 * - `web`: the requester's online ticket form.
 * - `email`: a mail to the support address.
 * - `phone`: filed by an agent during a call (advised for urgent and critical requests).
 * - `dashboard`: the help menu of the host product's dashboard.
 * - `contact_form`: the public contact form, for people without a helpdesk account.
 * - `sales`: a sales manager files it on the customer's behalf.
 */
export const CHANNELS = ['web', 'email', 'phone', 'dashboard', 'contact_form', 'sales'] as const;

/** One of {@link CHANNELS}. */
export type Channel = (typeof CHANNELS)[number];

/** Parses a channel. */
export const channelSchema = z.enum(CHANNELS);
