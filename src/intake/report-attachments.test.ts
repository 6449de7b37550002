import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import { parseContact, screenshotTypeOf } from './report-attachments.js';

describe('parseContact', () => {
  it('reads Taiwanese and international phone numbers into E.164', () => {
    expect(parseContact('0912-345-678', 'TW')).toEqual({ type: 'phone', value: '+886912345678' });
    expect(parseContact(' (02) 2345-6789 ', 'TW')).toEqual({
      type: 'phone',
      value: '+886223456789',
    });
    expect(parseContact('+81 90-1234-5678', 'TW')).toEqual({
      type: 'phone',
      value: '+819012345678',
    });
  });

  it('keeps an e-mail address, lower-casing only its domain', () => {
    expect(parseContact('Chen.Mei+165@Mail.Example.TEST', 'TW')).toEqual({
      type: 'email',
      value: 'Chen.Mei+165@mail.example.test',
    });
  });

  it('treats a blank contact as none', () => {
    expect(parseContact(undefined, 'TW')).toBeUndefined();
    expect(parseContact('   ', 'TW')).toBeUndefined();
  });

  it('refuses what is neither (invalid_contact, field contact)', () => {
    for (const raw of ['someone@localhost', '@mail.test', 'a b@mail.test', '12345', 'LINE: abc']) {
      expect(() => parseContact(raw, 'TW'), raw).toThrowError(
        expect.objectContaining({ code: 'invalid_contact', details: { field: 'contact' } }),
      );
    }
    expect(() => parseContact(`${'a'.repeat(65)}@mail.test`, 'TW')).toThrow(AppError);
  });

  it('never throws anything but invalid_contact, and is idempotent on what it accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        let parsed;
        try {
          parsed = parseContact(raw, 'TW');
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('invalid_contact');
          return;
        }
        if (parsed !== undefined) expect(parseContact(parsed.value, 'TW')).toEqual(parsed);
      }),
    );
  });
});

describe('screenshotTypeOf', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108020000', 'hex');

  it('decides by magic bytes, refusing SVG, GIF, PDF and empty files', async () => {
    await expect(screenshotTypeOf(png, 1024)).resolves.toBe('image/png');
    await expect(screenshotTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0]), 1024)).resolves.toBe(
      'image/jpeg',
    );
    for (const bytes of [
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(0),
    ]) {
      await expect(screenshotTypeOf(bytes, 1024)).rejects.toMatchObject({
        code: 'screenshot_type',
        status: 400,
      });
    }
  });

  it('refuses more than maxBytes (413 screenshot_too_large)', async () => {
    await expect(screenshotTypeOf(png, png.length)).resolves.toBe('image/png');
    await expect(screenshotTypeOf(png, png.length - 1)).rejects.toMatchObject({
      code: 'screenshot_too_large',
      status: 413,
      details: { field: 'screenshot', maxBytes: png.length - 1 },
    });
  });
});
