import fc from 'fast-check';
import { UserError, findPhoneNumbers, looksLikePhoneNumber, parseDialTarget, xsiAddressOf } from '../../core';

describe('parseDialTarget', () => {
  it.each([
    ['06 1234 5678', '+31612345678', '06 12345678'],
    ['0612345678', '+31612345678', '06 12345678'],
    ['+31 6 1234 5678', '+31612345678', '06 12345678'],
    ['0031 6 1234 5678', '+31612345678', '06 12345678'],
    ['020-1234567', '+31201234567', '020 123 4567'],
    ['(020) 123 45 67', '+31201234567', '020 123 4567'],
    ['020 123.45.67', '+31201234567', '020 123 4567'],
    ['tel:+31-20-1234567', '+31201234567', '020 123 4567'],
    ['TEL:+31201234567;phone-context=kpn.nl', '+31201234567', '020 123 4567'],
    ['\u00a0 06\u00a012345678 ', '+31612345678', '06 12345678'],
    ['０６１２３４５６７８', '+31612345678', '06 12345678'],
  ])('reads the Dutch number %j as %s', (input, e164, display) => {
    const target = parseDialTarget(input);
    expect(target).toMatchObject({ kind: 'number', e164, display, international: false, country: 'NL' });
  });

  it.each([
    ['+44 20 7946 0000', '+442079460000', 'GB'],
    ['0044 20 7946 0000', '+442079460000', 'GB'],
    ['+1 212 555 0100', '+12125550100', 'US'],
    ['+32 2 555 12 12', '+3225551212', 'BE'],
    ['+49 30 12345678', '+493012345678', 'DE'],
  ])('reads the international number %j', (input, e164, country) => {
    expect(parseDialTarget(input)).toMatchObject({ kind: 'number', e164, country, international: true });
  });

  // Changed on purpose (issue 13): a short number is not an extension until the directory or
  // the extension plan says so (Calling.classify; test/security/short-numbers.test.ts).
  it.each(['12', '1001', '4321', '123456'])('passes the short number %j on as a short number for Calling to classify', (input) => {
    expect(parseDialTarget(input)).toEqual({ kind: 'short', digits: input, display: input });
    expect(xsiAddressOf(parseDialTarget(input))).toBe(input);
  });

  it.each(['112', ' 112 ', '911', '999', '+31 112', '0031112'])('recognises the emergency number %j', (input) => {
    expect(parseDialTarget(input).kind).toBe('emergency');
  });

  it.each(['0900 1234567', '0906 123456', '0909 1234567', '+979 123456789'])('marks %j as premium rate', (input) => {
    expect(parseDialTarget(input)).toMatchObject({ kind: 'number', premiumRate: true });
  });

  it.each([
    ['', 'calling.number.empty'],
    ['   ', 'calling.number.empty'],
    ['tel:', 'calling.number.empty'],
    ['-- ()', 'calling.number.empty'],
    ['bel me', 'calling.number.letters'],
    ['06-CALLNOW', 'calling.number.letters'],
    ['Ω 0612345678', 'calling.number.letters'],
    ['06 1234 5678 ☎', 'calling.number.invalidCharacters'],
    ['📞0612345678', 'calling.number.invalidCharacters'],
    ['06#12345678', 'calling.number.invalidCharacters'],
    ['0612345678; DROP TABLE users', 'calling.number.letters'],
    ['<script>alert(1)</script>', 'calling.number.letters'],
    ['tel:%E0%A4%A', 'calling.number.letters'],
    ['tel:%%31', 'calling.number.invalidCharacters'],
    ['06\u0000 12345678', 'calling.number.invalidCharacters'],
    ['1'.repeat(16), 'calling.number.tooLong'],
    ['0'.repeat(65), 'calling.number.tooLong'],
    ['06 1234 5678 9999 12', 'calling.number.tooLong'],
    ['061234', 'calling.number.invalid'],
    ['06 12345', 'calling.number.invalid'],
    ['1', 'calling.number.invalid'],
    ['31+612345678', 'calling.number.invalid'],
    ['+999 1234', 'calling.number.invalid'],
  ])('refuses %j with %s', (input, key) => {
    expect(() => parseDialTarget(input)).toThrow(UserError);
    try {
      parseDialTarget(input);
    } catch (err) {
      expect((err as UserError).key).toBe(key);
    }
  });

  it('never throws anything but a UserError, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (input) => {
        try {
          const t = parseDialTarget(input);
          if (t.kind === 'number') expect(t.e164).toMatch(/^\+\d{6,15}$/);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('looksLikePhoneNumber', () => {
  it.each([
    ['06 1234 5678', true],
    ['tel:+31201234567', true],
    ['1001', true],
    ['Anna', false],
    ['Anna de Vries', false],
    ['', false],
  ])('%j -> %s', (input, expected) => expect(looksLikePhoneNumber(input)).toBe(expected));
});

describe('findPhoneNumbers', () => {
  it('finds the dialable numbers in a message, once each', () => {
    const text = 'Bel Jan op 06-12345678 of op kantoor (020) 123 45 67. Nogmaals: 0612345678. Niet 0900-1234567 vergeten?';
    const found = findPhoneNumbers(text).map((t) => (t.kind === 'number' ? t.e164 : t.display));
    expect(found).toEqual(['+31612345678', '+31201234567', '+319001234567']);
  });

  it('finds nothing in text without numbers', () => {
    expect(findPhoneNumbers('Tot morgen!')).toEqual([]);
  });
});
