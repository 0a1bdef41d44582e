import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src-main/hosts/paths.ts';

describe('defaultDataDir', () => {
  it('matches Electron userData locations', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Sandtable');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg/Sandtable');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Sandtable');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toContain('Sandtable');
  });
});
