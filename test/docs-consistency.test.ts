/**
 * The README and docs/*.md hold each section once, and every relative link between them reaches a
 * file that exists and, with a `#fragment`, a heading in it (GitHub's anchors: lower case, spaces
 * to hyphens, punctuation dropped). A text edit that copies sections twice, or a renamed heading,
 * fails here rather than in a reader's browser. No database: `typeorm-1.x` only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FILES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The file's text with fenced code blocks blanked (a `# comment` in a shell block is no heading). */
function prose(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's anchor of a heading's text. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function headings(file: string): string[] {
  return [...prose(file).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) => m[1]!);
}

describe.each(FILES)('%s', (file) => {
  it('has no heading twice at the same level', () => {
    const seen = [...prose(file).matchAll(/^(#{1,3})\s+(.+?)\s*$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(seen.filter((h, i) => seen.indexOf(h) !== i)).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const [, target] of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!) || target!.startsWith('mailto')) continue;
      const [linked, fragment] = target!.split('#') as [string, string | undefined];
      const resolved = linked === '' ? file : path.normalize(path.join(path.dirname(file), linked));
      if (!fs.existsSync(path.join(ROOT, resolved))) {
        broken.push(`${target} (no file ${resolved})`);
        continue;
      }
      if (fragment !== undefined && resolved.endsWith('.md') && !headings(resolved).map(anchorOf).includes(fragment)) {
        broken.push(`${target} (no heading #${fragment} in ${resolved})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
