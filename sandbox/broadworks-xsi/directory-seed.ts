/** A person in the sandbox enterprise, as the Xsi Enterprise directory lists them. */
export interface SandboxPerson {
  userId: string;
  firstName: string;
  lastName: string;
  groupId: string;
  number: string;
  extension: string;
  mobile: string;
  emailAddress: string;
}

const DOMAIN = 'sandbox.kpneen.nl';

function person(n: number, firstName: string, lastName: string, groupId: string, email: string): SandboxPerson {
  const suffix = String(n).padStart(2, '0');
  return {
    userId: `02012345${suffix}@${DOMAIN}`,
    firstName,
    lastName,
    groupId,
    number: `+312012345${suffix}`,
    extension: `10${suffix}`,
    mobile: `+3161234${String(n).padStart(4, '0')}`,
    emailAddress: `${email}@${DOMAIN}`,
  };
}

/**
 * A dozen colleagues at a Dutch company, with numbers in the 020 range and extensions
 * 1001-1012. Two Annes and two Jansens make name searches with several hits possible.
 */
export const SANDBOX_DIRECTORY: readonly SandboxPerson[] = [
  person(1, 'Anna', 'de Vries', 'Amsterdam', 'anna.devries'),
  person(2, 'Annelies', 'Jansen', 'Amsterdam', 'annelies.jansen'),
  person(3, 'Pieter', 'Bakker', 'Amsterdam', 'pieter.bakker'),
  person(4, 'Sanne', 'Visser', 'Rotterdam', 'sanne.visser'),
  person(5, 'Daan', 'Smit', 'Rotterdam', 'daan.smit'),
  person(6, 'Fleur', 'Meijer', 'Utrecht', 'fleur.meijer'),
  person(7, 'Jeroen', 'de Boer', 'Utrecht', 'jeroen.deboer'),
  person(8, 'Lotte', 'Mulder', 'Den Haag', 'lotte.mulder'),
  person(9, 'Bram', 'de Groot', 'Den Haag', 'bram.degroot'),
  person(10, 'Femke', 'Bos', 'Eindhoven', 'femke.bos'),
  person(11, 'Thijs', 'Jansen', 'Eindhoven', 'thijs.jansen'),
  person(12, 'Noor', 'van Dijk', 'Groningen', 'noor.vandijk'),
];

/** The enterprise administrator een-bridge signs in as when XSI_* are unset. */
export const SANDBOX_XSI_CREDENTIALS = { username: `een-bridge-admin@${DOMAIN}`, password: 'sandbox-xsi-password' } as const;
