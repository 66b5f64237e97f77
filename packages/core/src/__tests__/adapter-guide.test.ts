// The adapter guide states its figures from the code: this keeps them true.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRED_ADAPTER_METHODS } from '../adapter/storage-adapter.js';
import { conformanceChecks, conformanceGroups } from '../testing/checks.js';

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const guide = readFileSync(root('docs/guides/writing-an-adapter.md'), 'utf8');

/** Lines (as `wc -l` counts them) and files of the TypeScript sources in `dir`. */
function sourceSize(dir: string): { lines: number; files: number } {
  const files = readdirSync(root(dir)).filter((name) => name.endsWith('.ts'));
  const lines = files
    .map((name) => readFileSync(root(`${dir}/${name}`), 'utf8').split('\n').length - 1)
    .reduce((sum, n) => sum + n, 0);
  return { lines, files: files.length };
}

describe('docs/guides/writing-an-adapter.md', () => {
  it('states the number of required methods and of conformance checks the code has', () => {
    expect(guide).toContain(`**${REQUIRED_ADAPTER_METHODS.length} required methods**`);
    expect(guide).toContain(`**${conformanceChecks.length} conformance checks**`);
  });

  it('states each conformance group with the number of checks it has', () => {
    for (const [group, checks] of Object.entries(conformanceGroups)) {
      expect(guide, group).toContain(`| ${group} | ${checks.length} |`);
    }
  });

  it('shows every required method on its one-screen listing', () => {
    const listing = guide.slice(
      guide.indexOf('interface StorageAdapter {'),
      guide.indexOf('```\n', guide.indexOf('interface StorageAdapter {')),
    );
    for (const method of REQUIRED_ADAPTER_METHODS) expect(listing).toContain(`  ${method}(`);
  });

  it("states the skeleton adapter's size and the checks it must pass (those needing no capability)", () => {
    const { lines, files } = sourceSize('examples/skeleton-adapter/src');
    expect(guide).toContain(`**${lines} lines in ${files} files**`);
    const withoutCapability = conformanceChecks.filter((check) => check.requires === undefined).length;
    expect(guide).toContain(`**all ${withoutCapability} conformance checks that need no capability**`);
  });

  it("states the memory adapter's size to the nearest hundred lines", () => {
    const { lines, files } = sourceSize('packages/adapter-memory/src');
    const about = (Math.round(lines / 100) * 100).toLocaleString('en-US');
    expect(guide).toContain(`is about ${about} lines in ${files} files`);
  });
});
