import type { Command } from './command';

export const usersCommand: Command = {
  name: 'users',
  summary: 'People and their KPN EEN lines and licences: import, list, set-licence.',
  actions: ['import', 'list', 'set-licence'],
  usage: `een-bridge users import <file.csv>
       een-bridge users list [--json]
       een-bridge users set-licence <email> <Basis|Standaard|Premium>

import reads a CSV file with the header email,broadworksUserId,number,licence (separated by
commas or semicolons, as Excel saves it in Dutch; column names in any case) and links each
e-mail address to its BroadWorks user and KPN EEN number (licence: Basis, Standaard or
Premium). Someone who uses only Slack or Teams meetings leaves broadworksUserId and number
empty. People not known yet are created. Every row is checked first: one bad row
and nothing is imported; each problem is printed with its line number.
list shows everyone een-bridge knows, with their licence and which apps are linked.
set-licence changes one person's licence tier (the meeting rules follow it); audited. For
someone een-bridge has not seen yet it is kept for their e-mail address and applies from
their first use.`,
  options: { json: { type: 'boolean' } },
  run: async (ctx) => (await import('./impl/users')).run(ctx),
};
