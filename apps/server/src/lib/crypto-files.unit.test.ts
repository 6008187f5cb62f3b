import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, isSealedFile, SEALED_FILE_MAGIC } from './crypto.ts';

// Files sealed at rest (call recordings): only the same key and the same file name open them,
// and any change to the sealed bytes is refused rather than played.

const cipher = new FieldCipher(randomBytes(32));

describe('sealed files', () => {
  it('round-trips any size, the plain bytes nowhere in the sealed ones', async () => {
    for (const size of [0, 1, 4 * 1024 * 1024 - 1, 4 * 1024 * 1024 + 17, 9 * 1024 * 1024]) {
      const plain = randomBytes(size);
      const box = await cipher.sealFile(plain, 'pcaps/a.pcap');
      expect(isSealedFile(box)).toBe(true);
      expect(box.length).toBe(SEALED_FILE_MAGIC.length + 12 + size + 16);
      if (size >= 64) expect(box.includes(plain.subarray(0, 64))).toBe(false);
      expect((await cipher.openFile(box, 'pcaps/a.pcap')).equals(plain)).toBe(true);
    }
  });

  it('seals the same bytes differently each time (a fresh IV)', async () => {
    const plain = Buffer.from('the same recording');
    const [a, b] = [await cipher.sealFile(plain, 'x.pcap'), await cipher.sealFile(plain, 'x.pcap')];
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a changed byte, a cut tail, another name and another key', async () => {
    const plain = randomBytes(10_000);
    const box = await cipher.sealFile(plain, 'pcaps/a.pcap');
    for (const at of [SEALED_FILE_MAGIC.length, SEALED_FILE_MAGIC.length + 12, 5_000, box.length - 1]) {
      const changed = Buffer.from(box);
      changed[at] ^= 1;
      await expect(cipher.openFile(changed, 'pcaps/a.pcap')).rejects.toThrow();
    }
    await expect(cipher.openFile(box.subarray(0, box.length - 100), 'pcaps/a.pcap')).rejects.toThrow();
    await expect(cipher.openFile(box, 'pcaps/b.pcap')).rejects.toThrow();
    await expect(new FieldCipher(randomBytes(32)).openFile(box, 'pcaps/a.pcap')).rejects.toThrow();
    await expect(cipher.openFile(plain, 'pcaps/a.pcap')).rejects.toThrow('not a sealed file');
  });

  it('tells sealed files from recordings as the recorder writes them', () => {
    const pcap = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
    const wav = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.alloc(32)]);
    expect(isSealedFile(pcap)).toBe(false);
    expect(isSealedFile(wav)).toBe(false);
    expect(isSealedFile(SEALED_FILE_MAGIC.subarray(0, 4))).toBe(false);
  });
});
