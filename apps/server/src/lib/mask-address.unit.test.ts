import { describe, expect, it } from 'vitest';
import { maskAddress } from './http.ts';

describe('an address in a list', () => {
  it('keeps the street and hides the house number and the rest', () => {
    expect(maskAddress('锦华路1号3栋2单元')).toBe('锦华路****');
    expect(maskAddress('楠园路115号8栋2单元1001')).toBe('楠园路****');
    expect(maskAddress('解放大街27号院')).toBe('解放大街****');
    expect(maskAddress('东四十条胡同5号')).toBe('东四十条胡同****');
    expect(maskAddress('幸福里3号楼')).toBe('幸福里****');
  });

  it('never shows the house number when there is no street word', () => {
    const masked = maskAddress('3栋2单元1001室');
    expect(masked).toBe('3栋2****');
    expect(masked).not.toContain('1001');
    expect(maskAddress('某处')).toBe('某****');
  });

  it('takes no number from a long text before a street word', () => {
    // The street word is only looked for in the first characters.
    const long = '这是一个很长很长很长很长的说明文字然后才有路';
    expect(maskAddress(long)).toBe('这是一****');
  });

  it('has nothing to mask when there is no address', () => {
    expect(maskAddress(null)).toBeNull();
    expect(maskAddress('')).toBeNull();
  });
});
