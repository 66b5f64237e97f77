// The adapter guide states its figures from the code: this keeps them true.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRED_ADAPTER_METHODS } from '../adapter/storage-adapter.js';
import { conformanceChecks, conformanceGroups } from '../testing/checks.js';

const guide = readFileSync(
  fileURLToPath(new URL('../../../../docs/guides/writing-an-adapter.md', import.meta.url)),
  'utf8',
);

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
});
