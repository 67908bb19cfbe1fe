import { firstLoadFiles } from './report-bundle-size';

describe('firstLoadFiles', () => {
  it('counts the entry and its static imports, not lazy chunks or CSS', () => {
    const manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['src/Chat.tsx'] },
      '_shared.js': { file: 'assets/shared.js', imports: ['index.html'] },
      'src/Chat.tsx': { file: 'assets/Chat.js', imports: ['_shared.js'] },
      'style.css': { file: 'assets/style.css' },
    };
    expect(firstLoadFiles(manifest).sort()).toEqual(['assets/index.js', 'assets/shared.js']);
  });
});
