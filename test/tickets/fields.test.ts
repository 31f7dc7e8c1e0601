import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isHelpdeskError } from '../../src/errors.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';

// Host fields: `createHelpdesk({ tickets: { fields } })` validates them on submit and update,
// stores them and returns them in the view; the default set is the Dutch fleet fields.

const hostFields = z.object({
  contractNumber: z.string().regex(/^C-\d{4}$/),
  site: z.enum(['north', 'south']).optional(),
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; field: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isHelpdeskError(error)) return { code: error.code, field: error.details.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('custom fields', () => {
  it('validates, stores and returns the host fields; unknown keys are stripped by a z.object', async () => {
    const { desk } = makeDesk({ tickets: { fields: hostFields } });
    const { ticket } = await desk.tickets.submit(
      ticketInput({ fields: { contractNumber: 'C-1234', site: 'north', stray: 'dropped' } }),
    );
    expect(ticket.fields).toEqual({ contractNumber: 'C-1234', site: 'north' });
    expect((await desk.tickets.get(ticket.id)).fields).toEqual({ contractNumber: 'C-1234', site: 'north' });
  });

  it('a field the host schema refuses is INVALID_INPUT naming the field, and nothing is written', async () => {
    const { desk } = makeDesk({ tickets: { fields: hostFields } });
    const refused = await refusal(desk.tickets.submit(ticketInput({ fields: { contractNumber: 'nope' } })));
    expect(refused).toEqual({ code: 'INVALID_INPUT', field: 'fields.contractNumber' });
    expect((await desk.tickets.list()).tickets).toHaveLength(0);
    expect(await desk.outbox({ limit: 100 })).toHaveLength(0);
  });

  it('update merges the given fields into the stored ones and validates the whole set again', async () => {
    const { desk } = makeDesk({ tickets: { fields: hostFields } });
    const { ticket } = await desk.tickets.submit(ticketInput({ fields: { contractNumber: 'C-1234' } }));
    const updated = await desk.tickets.update({ ticketId: ticket.id, actor: agent, fields: { site: 'south' } });
    expect(updated.fields).toEqual({ contractNumber: 'C-1234', site: 'south' });
    const history = await desk.tickets.history(ticket.id);
    expect(history.at(-1)).toMatchObject({ type: 'ticket.update', data: { fields: ['site'] } });
    const refused = await refusal(desk.tickets.update({ ticketId: ticket.id, actor: agent, fields: { site: 'east' } }));
    expect(refused).toEqual({ code: 'INVALID_INPUT', field: 'fields.site' });
    expect((await desk.tickets.get(ticket.id)).version).toBe(updated.version);
  });

  it('the default field set is the fleet fields: driver and vehicle, the VIN checked; unknown keys refused', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(
      ticketInput({ fields: { driver: { name: 'Jan de Vries' }, vehicle: { vin: '1hgcm82633a004352', make: 'DAF' } } }),
    );
    expect(ticket.fields).toEqual({
      driver: { name: 'Jan de Vries' },
      vehicle: { vin: '1HGCM82633A004352', make: 'DAF' },
    });
    expect(await refusal(desk.tickets.submit(ticketInput({ fields: { vehicle: { vin: 'IOQ' } } })))).toEqual({
      code: 'INVALID_INPUT',
      field: 'fields.vehicle.vin',
    });
    expect((await refusal(desk.tickets.submit(ticketInput({ fields: { colour: 'red' } })))).code).toBe('INVALID_INPUT');
  });

  it('the fleet facts in content still work as before (content.driver, content.vehicle)', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(
      ticketInput({
        content: { organization: 'Acme', subject: 'Van 7', description: 'x', vehicle: { vin: '1HGCM82633A004352' } },
      }),
    );
    expect(ticket.content.vehicle?.vin).toBe('1HGCM82633A004352');
    expect(ticket.fields).toEqual({});
  });

  it('a hostile host schema cannot store what is not plain JSON, nor a prototype key', async () => {
    const hostile = z.object({
      when: z.string().transform((s) => new Date(s)),
      fn: z.unknown().transform(() => () => 1),
      big: z.unknown().transform(() => 10n),
      raw: z.unknown(),
    });
    const { desk } = makeDesk({ tickets: { fields: hostile.partial() } });
    for (const fields of [
      { when: '2026-01-01' },
      { fn: 1 },
      { big: 1 },
      { raw: JSON.parse('{"__proto__": {"polluted": true}}') as unknown },
      { raw: 'x'.repeat(20_000) },
    ]) {
      const refused = await refusal(desk.tickets.submit(ticketInput({ fields })));
      expect(refused.code, JSON.stringify(Object.keys(fields))).toBe('INVALID_INPUT');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await desk.tickets.list()).tickets).toHaveLength(0);
  });

  it('a host schema that throws reads as INVALID_INPUT', async () => {
    const throwing = z.object({
      a: z.string().refine(() => {
        throw new TypeError('host bug');
      }),
    });
    const { desk } = makeDesk({ tickets: { fields: throwing } });
    expect((await refusal(desk.tickets.submit(ticketInput({ fields: { a: 'x' } })))).code).toBe('INVALID_INPUT');
  });
});
